package io.tillstream.lake;

import java.util.List;

/**
 * The lake's tables: their public names, where they live under the lake root, and the date column each is laid out
 * by. Tables are not partitioned: they are liquid-clustered by that column, which keeps a four-year history of a few
 * rows a day in a handful of files while replaceWhere and MERGE still read only the files of the dates they touch
 * (file statistics on the date column). Lakes written before this layout are partitioned by the same column and
 * keep working; {@code maintain --relayout} rewrites them.
 */
public enum Table {
  BRONZE_SALES_EVENTS("bronze", "sales_events", "business_date"),
  SILVER_SALES_LINES("silver", "sales_lines", "business_date"),
  SILVER_QUARANTINE("silver", "quarantine", "business_date"),
  GOLD_DAILY_SALES("gold", "daily_sales", "business_date"),
  GOLD_MONTHLY_SALES("gold", "monthly_sales", "month"),
  GOLD_PRODUCT_TRENDS("gold", "product_trends", "business_date"),
  GOLD_CUSTOMER_VALUE("gold", "customer_value", "as_of_date"),
  /** The exact running totals customer_value is derived from (internal state, not published). */
  GOLD_CUSTOMER_TOTALS("gold", "customer_totals", "last_purchase_date"),
  GOLD_SUSPICIOUS_TRANSACTIONS("gold", "suspicious_transactions", "business_date"),
  OPS_RUNS("ops", "runs", "run_date");

  private final String layer;
  private final String name;
  private final String dateColumn;

  Table(String layer, String name, String dateColumn) {
    this.layer = layer;
    this.name = name;
    this.dateColumn = dateColumn;
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
