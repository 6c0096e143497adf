package io.tillstream.gold;

import static io.tillstream.gold.GoldAmounts.money;
import static io.tillstream.gold.GoldAmounts.sales;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Table;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * gold.product_trends: sku x business date (days with sales) with units, net, the 7-day moving averages (days
 * without sales count as 0), a trend score (net of the last 7 days over the 7 before, minus 1) and the rank of
 * the sku by net within its category that day.
 */
public final class ProductTrends implements GoldTable {
  /** Days of history a trend row looks back on, its own day excluded. */
  public static final int LOOKBACK_DAYS = 13;

  @Override
  public Table table() {
    return Table.GOLD_PRODUCT_TRENDS;
  }

  @Override
  public List<String> silverColumns() {
    return List.of("business_date", "sku", "category", "event_type", "quantity", "net_amount");
  }

  @Override
  public DateRanges silverNeeded(SortedSet<LocalDate> touched) {
    return DateRanges.around(touched, LOOKBACK_DAYS, LOOKBACK_DAYS);
  }

  /** A touched date changes its own row and the 13 days after it. */
  @Override
  public String replaced(SortedSet<LocalDate> touched) {
    return DateRanges.around(touched, 0, LOOKBACK_DAYS).sql("business_date");
  }

  @Override
  public Dataset<Row> compute(Dataset<Row> silver, SortedSet<LocalDate> touched) {
    return compute(silver.filter(silverNeeded(touched).contains("business_date")),
        DateRanges.around(touched, 0, LOOKBACK_DAYS));
  }

  /** Rows for business dates in [from, to]; {@code lines} must cover [from - 13 days, to]. */
  public static Dataset<Row> compute(Dataset<Row> lines, LocalDate from, LocalDate to) {
    return compute(lines, DateRanges.between(from, to));
  }

  /** Rows for the business dates of {@code rows}; {@code lines} must cover 13 days before each. */
  public static Dataset<Row> compute(Dataset<Row> lines, DateRanges rows) {
    Dataset<Row> daily = lines.filter(sales())
        .groupBy("business_date", "sku")
        .agg(max("category").as("category"), sum("quantity").as("units_sold"), sum("net_amount").as("net_exact"))
        .withColumn("day", datediff(col("business_date"), lit(Date.valueOf("1970-01-01"))));
    WindowSpec bySku = Window.partitionBy("sku").orderBy("day");
    Column last7 = sum("net_exact").over(bySku.rangeBetween(-6, 0));
    Column prev7 = sum("net_exact").over(bySku.rangeBetween(-13, -7));
    Column units7 = sum("units_sold").over(bySku.rangeBetween(-6, 0));
    return daily
        .withColumn("last7", last7)
        .withColumn("prev7", prev7)
        .withColumn("units7", units7)
        .filter(rows.contains("business_date"))
        .withColumn("rank_in_category", rank().over(Window.partitionBy("business_date", "category")
            .orderBy(col("net_exact").desc())))
        .select(col("business_date"), col("sku"), col("category"), col("units_sold"),
            money(col("net_exact")).as("net_amount"),
            money(col("last7").divide(7)).as("net_amount_ma7"),
            round(col("units7").cast("decimal(20,0)").divide(7), 2).cast("decimal(18,2)").as("units_sold_ma7"),
            when(col("prev7").gt(0), round(col("last7").divide(col("prev7")).minus(1), 4).cast("decimal(18,4)"))
                .as("trend_score"),
            col("rank_in_category").cast("int").as("rank_in_category"));
  }

}
