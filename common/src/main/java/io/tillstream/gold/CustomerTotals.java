package io.tillstream.gold;

import static io.tillstream.gold.GoldAmounts.refundSum;
import static io.tillstream.gold.GoldAmounts.saleSum;
import static io.tillstream.gold.GoldAmounts.sales;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tillstream.contract.EventSchemas;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * gold.customer_totals: exact running totals per customer token, refund-only customers included. It is the state
 * gold.customer_value is derived from, so a run adds the totals of its new silver lines instead of re-reading all of
 * silver: amounts stay exact (unrounded) here and are rounded only in customer_value.
 */
public final class CustomerTotals {
  /** The silver columns the totals read. */
  public static final List<String> SILVER_COLUMNS = List.of("customer_token", "event_type", "order_id",
      "business_date", "net_amount");

  /** Totals of {@code lines}, every distinct sale order counted. */
  public static Dataset<Row> of(Dataset<Row> lines) {
    return of(lines, null);
  }

  /**
   * Totals of {@code lines}; a sale order counts only when its (customer_token, order_id) is not among
   * {@code counted} (orders already counted in earlier totals), so adding totals never counts an order twice.
   */
  public static Dataset<Row> of(Dataset<Row> lines, Dataset<Row> counted) {
    Dataset<Row> known = lines.filter(col("customer_token").isNotNull());
    if (counted != null) {
      known = known.join(counted.select("customer_token", "order_id").distinct().withColumn("counted", lit(true)),
          CollectionConverters.asScala(List.of("customer_token", "order_id")).toSeq(), "left");
    } else {
      known = known.withColumn("counted", lit(null).cast("boolean"));
    }
    return known.groupBy("customer_token").agg(
        min(when(sales(), col("business_date"))).as("first_purchase_date"),
        max(when(sales(), col("business_date"))).as("last_purchase_date"),
        countDistinct(when(sales().and(col("counted").isNull()), col("order_id"))).as("orders"),
        saleSum("net_amount").as("sales_exact"),
        refundSum("net_amount").as("refund_exact"));
  }

  /** {@code totals} with {@code increment} added (both as {@link #of} makes them). */
  public static Dataset<Row> plus(Dataset<Row> totals, Dataset<Row> increment) {
    return totals.unionByName(increment).groupBy("customer_token").agg(
        min("first_purchase_date").as("first_purchase_date"),
        max("last_purchase_date").as("last_purchase_date"),
        sum("orders").as("orders"),
        sum("sales_exact").cast(EventSchemas.REPORTING_AMOUNT).as("sales_exact"),
        sum("refund_exact").cast(EventSchemas.REPORTING_AMOUNT).as("refund_exact"));
  }

  private CustomerTotals() {}
}
