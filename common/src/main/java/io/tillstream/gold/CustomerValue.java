package io.tillstream.gold;

import static io.tillstream.gold.GoldAmounts.money;
import static io.tillstream.gold.GoldAmounts.refundSum;
import static io.tillstream.gold.GoldAmounts.saleSum;
import static io.tillstream.gold.GoldAmounts.sales;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * gold.customer_value: one row per customer token with at least one sale: first and last purchase, orders, net
 * spend (sales net minus refunds) and recency in days as of the latest business date in the data.
 */
public final class CustomerValue {

  public static Dataset<Row> compute(Dataset<Row> lines) {
    Dataset<Row> asOf = lines.agg(max("business_date").as("as_of_date"));
    return lines.filter(col("customer_token").isNotNull())
        .groupBy("customer_token")
        .agg(
            min(when(sales(), col("business_date"))).as("first_purchase_date"),
            max(when(sales(), col("business_date"))).as("last_purchase_date"),
            countDistinct(when(sales(), col("order_id"))).as("orders"),
            money(saleSum("net_amount")).as("sales_amount"),
            money(refundSum("net_amount")).as("refund_amount"),
            money(saleSum("net_amount").minus(refundSum("net_amount"))).as("net_spend"))
        .filter(col("orders").gt(0))
        .crossJoin(asOf)
        .withColumn("recency_days", datediff(col("as_of_date"), col("last_purchase_date")))
        .select("customer_token", "first_purchase_date", "last_purchase_date", "orders", "sales_amount",
            "refund_amount", "net_spend", "recency_days", "as_of_date");
  }

  private CustomerValue() {}
}
