package io.tillstream.gold;

import static io.tillstream.gold.GoldAmounts.sales;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;

/**
 * gold.suspicious_transactions: one row per (rule, sale event) that fired, with the values that fired it as JSON
 * in {@code details}. Rules: large_order, card_velocity, multi_store_card.
 */
public final class SuspiciousTransactions implements GoldTable {
  public static final String LARGE_ORDER = "large_order";
  public static final String CARD_VELOCITY = "card_velocity";
  public static final String MULTI_STORE_CARD = "multi_store_card";

  /** The table's columns, in order. */
  public static final List<String> COLUMNS = List.of("rule_id", "event_id", "order_id", "store_id", "business_date",
      "event_time", "card_token", "details");

  private final SuspiciousRules rules;

  public SuspiciousTransactions(SuspiciousRules rules) {
    this.rules = rules;
  }

  @Override
  public Table table() {
    return Table.GOLD_SUSPICIOUS_TRANSACTIONS;
  }

  @Override
  public List<String> silverColumns() {
    return List.of("business_date", "event_type", "event_id", "order_id", "store_id", "event_time", "card_token",
        "net_amount");
  }

  @Override
  public DateRanges silverNeeded(SortedSet<LocalDate> touched) {
    return DateRanges.around(touched, rules.lookbackDays(), rules.lookbackDays());
  }

  /** A touched date changes the rules' results on its own day and the look-back after it. */
  @Override
  public String replaced(SortedSet<LocalDate> touched) {
    return DateRanges.around(touched, 0, rules.lookbackDays()).sql("business_date");
  }

  @Override
  public Dataset<Row> compute(Dataset<Row> silver, SortedSet<LocalDate> touched) {
    return compute(silver.filter(silverNeeded(touched).contains("business_date")), rules,
        DateRanges.around(touched, 0, rules.lookbackDays()));
  }

  /** Rows for business dates in [from, to]; {@code lines} must also cover the rules' look-back before from. */
  public static Dataset<Row> compute(Dataset<Row> lines, SuspiciousRules rules, LocalDate from, LocalDate to) {
    return compute(lines, rules, DateRanges.between(from, to));
  }

  /** Rows for the business dates of {@code rows}; {@code lines} must also cover the rules' look-back before each. */
  public static Dataset<Row> compute(Dataset<Row> lines, SuspiciousRules rules, DateRanges rows) {
    Dataset<Row> saleEvents = lines.filter(sales())
        .groupBy("event_id")
        .agg(first("order_id").as("order_id"), first("store_id").as("store_id"),
            first("business_date").as("business_date"), first("event_time").as("event_time"),
            first("card_token").as("card_token"), sum("net_amount").as("event_net"))
        .withColumn("ts", unix_timestamp(col("event_time")));
    List<Dataset<Row>> fired = new ArrayList<>();
    if (rules.largeOrder()) {
      fired.add(largeOrders(saleEvents.withColumn("order_net", sum("event_net").over(Window.partitionBy("order_id"))),
          rules.largeOrderMinNet()));
    }
    if (rules.cardVelocity() || rules.multiStoreCard()) {
      // Both card rules share one partitioning and ordering: one shuffle and sort, two frames.
      WindowSpec byCardTime = Window.partitionBy("card_token").orderBy("ts");
      Dataset<Row> carded = saleEvents.filter(col("card_token").isNotNull())
          .withColumn("sales_in_window", count(lit(1)).over(
              byCardTime.rangeBetween(-rules.cardVelocityWindow().toSeconds(), 0)))
          .withColumn("stores", sort_array(collect_set("store_id").over(
              byCardTime.rangeBetween(-rules.multiStoreWindow().toSeconds(), 0))));
      if (rules.cardVelocity()) {
        fired.add(carded
            .filter(col("sales_in_window").geq(rules.cardVelocityMinSales()))
            .withColumn("rule_id", lit(CARD_VELOCITY))
            .withColumn("details", to_json(struct(col("sales_in_window"),
                lit(rules.cardVelocityWindow().toMinutes()).as("window_minutes")))));
      }
      if (rules.multiStoreCard()) {
        fired.add(carded
            .filter(size(col("stores")).geq(rules.multiStoreMinStores()))
            .withColumn("rule_id", lit(MULTI_STORE_CARD))
            .withColumn("details", to_json(struct(size(col("stores")).as("stores_in_window"), col("stores"),
                lit(rules.multiStoreWindow().toMinutes()).as("window_minutes")))));
      }
    }
    Dataset<Row> out = null;
    for (Dataset<Row> f : fired) {
      Dataset<Row> shaped = f.select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
      out = out == null ? shaped : out.unionByName(shaped);
    }
    if (out == null) {
      return lines.sparkSession().createDataFrame(List.of(), schema());
    }
    return out.filter(rows.contains("business_date"));
  }

  /**
   * The large_order rule on sale events that carry their {@code order_net}: the rows that fire, with rule_id and
   * details. The stream's real-time alerts apply it to the event's own net.
   */
  public static Dataset<Row> largeOrders(Dataset<Row> withOrderNet, BigDecimal minNet) {
    return withOrderNet.filter(col("order_net").geq(lit(minNet)))
        .withColumn("rule_id", lit(LARGE_ORDER))
        .withColumn("details", to_json(struct(round(col("order_net"), 2).cast("decimal(18,2)").as("order_net"),
            lit(minNet).as("min_net"))))
        .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  static StructType schema() {
    return createStructType(List.of(
        createStructField("rule_id", StringType, false),
        createStructField("event_id", StringType, true),
        createStructField("order_id", StringType, true),
        createStructField("store_id", StringType, true),
        createStructField("business_date", DateType, true),
        createStructField("event_time", TimestampType, true),
        createStructField("card_token", StringType, true),
        createStructField("details", StringType, true)));
  }

}
