package io.tillstream.gold;

import static io.tillstream.gold.GoldAmounts.money;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * gold.customer_value: one row per customer token with at least one sale: first and last purchase, orders, net
 * spend (sales net minus refunds) and recency in days as of the latest business date in the data.
 */
public final class CustomerValue {

  /** From all of silver's lines at once (the totals of {@link CustomerTotals} are the incremental way). */
  public static Dataset<Row> compute(Dataset<Row> lines) {
    Row latest = lines.agg(max("business_date")).head();
    return fromTotals(CustomerTotals.of(lines), latest.isNullAt(0) ? null : latest.getDate(0).toLocalDate());
  }

  /** The customers of {@code totals} with at least one sale, recency counted to {@code asOf}. */
  public static Dataset<Row> fromTotals(Dataset<Row> totals, LocalDate asOf) {
    Column asOfDate = asOf == null ? lit(null).cast("date") : lit(Date.valueOf(asOf));
    return totals.filter(col("orders").gt(0))
        .select(col("customer_token"), col("first_purchase_date"), col("last_purchase_date"), col("orders"),
            money(col("sales_exact")).as("sales_amount"),
            money(col("refund_exact")).as("refund_amount"),
            money(col("sales_exact").minus(col("refund_exact"))).as("net_spend"),
            datediff(asOfDate, col("last_purchase_date")).as("recency_days"),
            asOfDate.as("as_of_date"));
  }

  private CustomerValue() {}
}
