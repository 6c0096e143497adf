package io.tillstream.lake;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The lake's tables: their public names, where they live under the lake root, and the date column each is laid out
 * by. Tables are not partitioned: they are liquid-clustered by that column, which keeps a four-year history of a few
 * rows a day in a handful of files while replaceWhere and MERGE still read only the files of the dates they touch
 * (file statistics on the date column). Lakes written before this layout are partitioned by the same column and
 * keep working; {@code maintain --relayout} rewrites them.
 */
public enum Table {
  BRONZE_SALES_EVENTS("bronze", "sales_events", "business_date",
      "record_id STRING, source_file STRING, source_line BIGINT, raw_record STRING, pii_key_id STRING, "
          + "event_id STRING, content_hash STRING, business_date DATE, run_id STRING, ingested_at TIMESTAMP, "
          + "ingest_date DATE"),
  SILVER_SALES_LINES("silver", "sales_lines", "business_date",
      "event_id STRING, event_type STRING, order_id STRING, store_id STRING, country STRING, "
          + "region STRING, channel STRING, business_date DATE, event_time TIMESTAMP, customer_token STRING, "
          + "payment_method STRING, card_token STRING, card_last4 STRING, line_no INT, sku STRING, "
          + "category STRING, quantity BIGINT, unit_price DECIMAL(15,6), discount DECIMAL(15,6), "
          + "currency STRING, fx_rate DECIMAL(16,10), gross_amount DECIMAL(38,16), "
          + "discount_amount DECIMAL(38,16), net_amount DECIMAL(38,16), quality_warnings ARRAY<STRING>, "
          + "content_hash STRING, pii_key_id STRING, source_file STRING, source_line BIGINT, run_id STRING, "
          + "ingested_at TIMESTAMP"),
  SILVER_QUARANTINE("silver", "quarantine", "business_date",
      "record_id STRING, source_file STRING, source_line BIGINT, event_id STRING, business_date DATE, "
          + "rule_ids ARRAY<STRING>, reason STRING, severity STRING, raw_record STRING, pii_key_id STRING, "
          + "run_id STRING, quarantined_at TIMESTAMP, ingest_date DATE, resolved_by_run STRING, "
          + "resolved_at TIMESTAMP"),
  GOLD_DAILY_SALES("gold", "daily_sales", "business_date",
      "business_date DATE, store_id STRING, category STRING, orders BIGINT, units_sold BIGINT, "
          + "gross_amount DECIMAL(18,2), discount_amount DECIMAL(18,2), net_amount DECIMAL(18,2), "
          + "refund_amount DECIMAL(18,2), net_after_refunds DECIMAL(18,2), customers BIGINT"),
  GOLD_MONTHLY_SALES("gold", "monthly_sales", "month",
      "month DATE, country STRING, region STRING, category STRING, net_amount DECIMAL(18,2), "
          + "refund_amount DECIMAL(18,2), net_after_refunds DECIMAL(18,2), orders BIGINT, units_sold BIGINT, "
          + "previous_net_amount DECIMAL(18,2), growth_pct DECIMAL(18,2), "
          + "top_skus ARRAY<STRUCT<sku: STRING, net_amount: DECIMAL(18,2)>>"),
  GOLD_PRODUCT_TRENDS("gold", "product_trends", "business_date",
      "business_date DATE, sku STRING, category STRING, units_sold BIGINT, net_amount DECIMAL(18,2), "
          + "net_amount_ma7 DECIMAL(18,2), units_sold_ma7 DECIMAL(18,2), trend_score DECIMAL(18,4), "
          + "rank_in_category INT"),
  GOLD_CUSTOMER_VALUE("gold", "customer_value", "as_of_date",
      "customer_token STRING, first_purchase_date DATE, last_purchase_date DATE, orders BIGINT, "
          + "sales_amount DECIMAL(18,2), refund_amount DECIMAL(18,2), net_spend DECIMAL(18,2), "
          + "recency_days INT, as_of_date DATE"),
  /** The exact running totals customer_value is derived from (internal state, not published). */
  GOLD_CUSTOMER_TOTALS("gold", "customer_totals", "last_purchase_date",
      "customer_token STRING, first_purchase_date DATE, last_purchase_date DATE, orders BIGINT, "
          + "sales_exact DECIMAL(38,16), refund_exact DECIMAL(38,16)"),
  GOLD_SUSPICIOUS_TRANSACTIONS("gold", "suspicious_transactions", "business_date",
      "rule_id STRING, event_id STRING, order_id STRING, store_id STRING, business_date DATE, "
          + "event_time TIMESTAMP, card_token STRING, details STRING"),
  OPS_RUNS("ops", "runs", "run_date",
      "run_id STRING, job STRING, status STRING, started_at TIMESTAMP, finished_at TIMESTAMP, "
          + "duration_ms BIGINT, input STRING, date_from STRING, date_to STRING, files_read BIGINT, "
          + "read BIGINT, accepted BIGINT, quarantined BIGINT, duplicates BIGINT, dropped BIGINT, "
          + "out_of_range BIGINT, accepted_lines BIGINT, reconciled BOOLEAN, "
          + "rejected_by_rule MAP<STRING, BIGINT>, warnings MAP<STRING, BIGINT>, "
          + "warning_messages ARRAY<STRING>, stage_ms MAP<STRING, BIGINT>, "
          + "table_versions MAP<STRING, BIGINT>, error STRING, run_date DATE, landing_date DATE, "
          + "reference_data STRING");

  private final String layer;
  private final String name;
  private final String dateColumn;
  private final StructType schema;

  Table(String layer, String name, String dateColumn, String columns) {
    this.layer = layer;
    this.name = name;
    this.dateColumn = dateColumn;
    this.schema = StructType.fromDDL(columns);
  }

  /**
   * The table's schema of record: every write is conformed to it ({@link #conform}), so the first write creates the
   * table with exactly these columns and types, in this order. Columns a later release adds are appended here and
   * reach older tables through {@link Lake#addMissingColumns} or schema evolution on append.
   */
  public StructType schema() {
    return schema;
  }

  /**
   * {@code rows} with the declared columns in the declared order, each cast to its declared type (a no-op where the
   * types already agree). A missing or undeclared column, or a value the declared type cannot hold without loss
   * (anything but Spark's safe up-casts), is a programming error and fails, naming the column.
   */
  public Dataset<Row> conform(Dataset<Row> rows) {
    Set<String> names = new LinkedHashSet<>(List.of(rows.columns()));
    Set<String> declared = new LinkedHashSet<>(List.of(schema.fieldNames()));
    if (!names.equals(declared)) {
      Set<String> missing = new LinkedHashSet<>(declared);
      missing.removeAll(names);
      Set<String> undeclared = new LinkedHashSet<>(names);
      undeclared.removeAll(declared);
      throw new IllegalStateException(qualifiedName() + ": rows do not match the table's declared schema (missing "
          + missing + ", not declared " + undeclared + ")");
    }
    StructType given = rows.schema();
    for (StructField f : schema.fields()) {
      DataType from = given.apply(f.name()).dataType();
      if (!Cast.canUpCast(from, f.dataType())) {
        throw new IllegalStateException(qualifiedName() + "." + f.name() + ": rows hold " + from.sql()
            + ", which the declared " + f.dataType().sql() + " cannot hold without loss");
      }
    }
    return rows.select(Arrays.stream(schema.fields())
        .map(f -> functions.col(f.name()).cast(f.dataType()).as(f.name())).toArray(Column[]::new));
  }

  public String layer() {
    return layer;
  }

  /** The name within its layer, e.g. daily_sales. */
  public String tableName() {
    return name;
  }

  /** Public name, e.g. gold.daily_sales. */
  public String qualifiedName() {
    return layer + "." + name;
  }

  /** The date column the table is clustered by and that gold refreshes and MERGEs filter on. */
  public String dateColumn() {
    return dateColumn;
  }

  public String path(String lakeRoot) {
    return stripSlash(lakeRoot) + "/" + layer + "/" + name;
  }

  /** Where the plain-Parquet copy of a gold table is published. */
  public String publishedPath(String lakeRoot) {
    return stripSlash(lakeRoot) + "/published/" + layer + "/" + name;
  }

  public static List<Table> gold() {
    return List.of(GOLD_DAILY_SALES, GOLD_MONTHLY_SALES, GOLD_PRODUCT_TRENDS, GOLD_CUSTOMER_VALUE,
        GOLD_SUSPICIOUS_TRANSACTIONS);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
