package io.tillstream.gold;

import static io.tillstream.gold.GoldAmounts.money;
import static io.tillstream.gold.GoldAmounts.refundSum;
import static io.tillstream.gold.GoldAmounts.saleSum;
import static io.tillstream.gold.GoldAmounts.sales;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tillstream.contract.EventSchemas;
import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Table;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** gold.daily_sales: business date x store x category. Refunds never count as orders, units or customers. */
public final class DailySales implements GoldTable {
  /** The columns of {@link #totals}: each group's figures before rounding. */
  private static final List<String> TOTALS = List.of("business_date", "store_id", "category", "orders", "units_sold",
      "gross_exact", "discount_exact", "net_exact", "refund_exact", "customers");
  private static final Column[] TOTAL_COLUMNS = TOTALS.stream().map(c -> col(c)).toArray(Column[]::new);
  private static final String[] GROUP = {"business_date", "store_id", "category"};

  @Override
  public Table table() {
    return Table.GOLD_DAILY_SALES;
  }

  @Override
  public List<String> silverColumns() {
    return List.of("business_date", "store_id", "category", "event_type", "order_id", "customer_token", "quantity",
        "gross_amount", "discount_amount", "net_amount");
  }

  @Override
  public DateRanges silverNeeded(SortedSet<LocalDate> touched) {
    return DateRanges.around(touched, 0, 0);
  }

  @Override
  public String replaced(SortedSet<LocalDate> touched) {
    return silverNeeded(touched).sql("business_date");
  }

  @Override
  public Dataset<Row> compute(Dataset<Row> silver, SortedSet<LocalDate> touched) {
    return compute(silver.filter(silverNeeded(touched).contains("business_date")));
  }

  public static Dataset<Row> compute(Dataset<Row> lines) {
    return fromTotals(totals(lines));
  }

  /**
   * Each business date x store x category's figures before rounding (amounts exact). Distinct orders and customers
   * as the sizes of their sets (nulls left out, as countDistinct does): two distinct counts in one aggregate make
   * Spark expand every line three times; a day's sets per store and category are small. A refresh of three days
   * took 2.3-2.8 s instead of 3.8-5.0 s (GoldRefreshCost, docs/benchmarks.md).
   */
  public static Dataset<Row> totals(Dataset<Row> lines) {
    return sums(lines, size(collect_set(when(sales(), col("order_id")))).cast("long"),
        size(collect_set(when(sales(), col("customer_token")))).cast("long"));
  }

  /** The gold rows of {@code totals}: amounts rounded half-up to cents. */
  public static Dataset<Row> fromTotals(Dataset<Row> totals) {
    return totals.select(col("business_date"), col("store_id"), col("category"), col("orders"), col("units_sold"),
        money(col("gross_exact")).as("gross_amount"),
        money(col("discount_exact")).as("discount_amount"),
        money(col("net_exact")).as("net_amount"),
        money(col("refund_exact")).as("refund_amount"),
        money(col("net_exact").minus(col("refund_exact"))).as("net_after_refunds"),
        col("customers"));
  }

  /**
   * What daily sales counts distinct, one row per group and key: (business_date, store_id, category, kind, key),
   * kind {@code order} (a sale's order id) or {@code customer} (a sale's customer token).
   */
  public static Dataset<Row> countedKeys(Dataset<Row> lines) {
    Dataset<Row> saleLines = lines.filter(sales());
    return keysOf(saleLines, "order", "order_id").union(keysOf(saleLines, "customer", "customer_token")).distinct();
  }

  /**
   * {@code totals} with the lines {@code added} to silver since: their amounts and units added, and as orders and
   * customers only {@code newKeys}, the {@link #countedKeys} of the added lines not counted in {@code totals} yet.
   */
  public static Dataset<Row> plus(Dataset<Row> totals, Dataset<Row> added, Dataset<Row> newKeys) {
    Dataset<Row> addedSums = sums(added, lit(0L), lit(0L));
    Dataset<Row> addedCounts = newKeys.groupBy(GROUP[0], GROUP[1], GROUP[2]).agg(
            sum(when(col("kind").equalTo("order"), 1L).otherwise(0L)).as("orders"),
            sum(when(col("kind").equalTo("customer"), 1L).otherwise(0L)).as("customers"))
        .select(col("business_date"), col("store_id"), col("category"), col("orders"), lit(0L).as("units_sold"),
            zero().as("gross_exact"), zero().as("discount_exact"), zero().as("net_exact"), zero().as("refund_exact"),
            col("customers"));
    return totals.unionByName(addedSums).unionByName(addedCounts)
        .groupBy(GROUP[0], GROUP[1], GROUP[2])
        .agg(sum("orders").as("orders"), sum("units_sold").as("units_sold"), sum("gross_exact").as("gross_exact"),
            sum("discount_exact").as("discount_exact"), sum("net_exact").as("net_exact"),
            sum("refund_exact").as("refund_exact"), sum("customers").as("customers"))
        .select(TOTAL_COLUMNS);
  }

  private static Dataset<Row> sums(Dataset<Row> lines, Column orders,
      Column customers) {
    return lines.groupBy(GROUP[0], GROUP[1], GROUP[2])
        .agg(orders.as("orders"),
            coalesce(sum(when(sales(), col("quantity"))), lit(0L)).as("units_sold"),
            saleSum("gross_amount").as("gross_exact"),
            saleSum("discount_amount").as("discount_exact"),
            saleSum("net_amount").as("net_exact"),
            refundSum("net_amount").as("refund_exact"),
            customers.as("customers"))
        .select(TOTAL_COLUMNS);
  }

  private static Dataset<Row> keysOf(Dataset<Row> saleLines, String kind, String column) {
    return saleLines.filter(col(column).isNotNull())
        .select(col("business_date"), col("store_id"), col("category"), lit(kind).as("kind"), col(column).as("key"));
  }

  /** An exact zero of the type the sums have (a sum of DECIMAL(38,16) stays one). */
  private static Column zero() {
    return lit(0).cast(EventSchemas.REPORTING_AMOUNT);
  }

}
