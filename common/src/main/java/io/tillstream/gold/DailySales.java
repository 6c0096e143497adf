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

import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Table;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** gold.daily_sales: business date x store x category. Refunds never count as orders, units or customers. */
public final class DailySales implements GoldTable {

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

  /**
   * Distinct orders and customers as the sizes of their sets (nulls left out, as countDistinct does): two distinct
   * counts in one aggregate make Spark expand every line three times; a day's sets per store and category are small.
   * A refresh of three days took 2.3-2.8 s instead of 3.8-5.0 s (GoldRefreshCost, docs/benchmarks.md).
   */
  public static Dataset<Row> compute(Dataset<Row> lines) {
    return lines.groupBy("business_date", "store_id", "category")
        .agg(
            size(collect_set(when(sales(), col("order_id")))).cast("long").as("orders"),
            coalesce(sum(when(sales(), col("quantity"))), lit(0L)).as("units_sold"),
            money(saleSum("gross_amount")).as("gross_amount"),
            money(saleSum("discount_amount")).as("discount_amount"),
            money(saleSum("net_amount")).as("net_amount"),
            money(refundSum("net_amount")).as("refund_amount"),
            money(saleSum("net_amount").minus(refundSum("net_amount"))).as("net_after_refunds"),
            size(collect_set(when(sales(), col("customer_token")))).cast("long").as("customers"))
        .select("business_date", "store_id", "category", "orders", "units_sold", "gross_amount",
            "discount_amount", "net_amount", "refund_amount", "net_after_refunds", "customers");
  }

}
