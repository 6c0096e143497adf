package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.tillstream.contract.EventSchemas;
import io.tillstream.quality.QualityRules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Accepted events to silver line items: one row per item with its product category (unknown skus keep the
 * line with category 'unknown' and an unknown_sku warning) and exact gross, discount and net amounts in the
 * reporting currency.
 */
public final class BuildSalesLines {

  public static Dataset<Row> apply(Dataset<Row> acceptedEvents, Dataset<Row> products) {
    Dataset<Row> lines = acceptedEvents.withColumn("item", explode(col("items")));
    Dataset<Row> p = products.select(col("sku").as("p_sku"), col("category").as("p_category"));
    return lines.join(broadcast(p), col("item.sku").equalTo(col("p_sku")), "left")
        .select(
            col("event_id"), col("event_type"), col("order_id"), col("store_id"), col("country"), col("region"),
            col("channel"), col("business_date"), col("event_time"), col("customer_token"),
            col("payment_method"), col("card_token"), col("card_last4"),
            col("item.line_no").as("line_no"), col("item.sku").as("sku"),
            coalesce(col("p_category"), lit("unknown")).as("category"),
            col("item.quantity").as("quantity"), col("item.unit_price").as("unit_price"),
            col("item.discount").as("discount"), col("currency"), col("fx_rate"),
            inReportingCurrency(col("item.gross")).as("gross_amount"),
            inReportingCurrency(col("item.discount")).as("discount_amount"),
            inReportingCurrency(col("item.net")).as("net_amount"),
            when(col("p_sku").isNull(), concat(col("quality_warnings"), array(lit(QualityRules.UNKNOWN_SKU))))
                .otherwise(col("quality_warnings")).as("quality_warnings"),
            col("content_hash"), col("pii_key_id"), col("source_file"), col("source_line"));
  }

  /** An amount of the event's currency in the reporting currency, exactly (the event's {@code fx_rate}). */
  public static Column inReportingCurrency(Column amount) {
    return amount.multiply(col("fx_rate")).cast(EventSchemas.REPORTING_AMOUNT);
  }

  private BuildSalesLines() {}
}
