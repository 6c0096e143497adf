package io.tillstream.jobs.export;

import io.tillstream.lake.Table;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The gold tables export copies into PostgreSQL, each with its grain: the columns that identify a row, which become
 * the primary key there. Each keeps its lake name in schema gold (gold.daily_sales is table daily_sales there) and
 * is replaced one value of its date column at a time.
 */
public enum ExportedTable {
  DAILY_SALES(Table.GOLD_DAILY_SALES, "business_date", "store_id", "category"),
  MONTHLY_SALES(Table.GOLD_MONTHLY_SALES, "month", "country", "region", "category"),
  PRODUCT_TRENDS(Table.GOLD_PRODUCT_TRENDS, "business_date", "sku"),
  CUSTOMER_VALUE(Table.GOLD_CUSTOMER_VALUE, "as_of_date", "customer_token"),
  SUSPICIOUS_TRANSACTIONS(Table.GOLD_SUSPICIOUS_TRANSACTIONS, "business_date", "rule_id", "event_id");

  /** The schema in PostgreSQL: the lake's layer name. */
  public static final String SCHEMA = "gold";

  private final Table table;
  private final List<String> key;

  ExportedTable(Table table, String... key) {
    this.table = table;
    this.key = List.of(key);
  }

  public Table table() {
    return table;
  }

  /** The grain (primary key columns), date column first. */
  public List<String> key() {
    return key;
  }

  /** The column each export replaces by: one transaction per value. */
  public String dateColumn() {
    return table.dateColumn();
  }

  /** schema.table in PostgreSQL, e.g. gold.daily_sales. */
  public String pgName() {
    return SCHEMA + "." + table.tableName();
  }

  /** The table named {@code name} (daily_sales or gold.daily_sales), if export knows it. */
  public static Optional<ExportedTable> named(String name) {
    String bare = name.trim().toLowerCase(java.util.Locale.ROOT).replaceFirst("^" + SCHEMA + "\\.", "");
    return Arrays.stream(values()).filter(t -> t.table.tableName().equals(bare)).findFirst();
  }
}
