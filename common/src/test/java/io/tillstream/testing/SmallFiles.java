package io.tillstream.testing;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Tables written in many small commits, as a stream leaves them, for maintenance tests. */
public final class SmallFiles {
  /** Rows per {@link #rows} call. */
  public static final int ROWS = 240;
  /** Business dates the rows fall on (one partition each). */
  public static final int DATES = 3;

  /**
   * 240 silver.sales_lines rows over 3 business dates, numbered 0..239 in source_line; the columns a test does not
   * need are null.
   */
  public static Dataset<Row> rows(SparkSession spark) {
    return TableRows.complete(Table.SILVER_SALES_LINES, spark.range(0, ROWS).selectExpr("concat('e', id) AS event_id", "CAST(1 AS INT) AS line_no",
        "concat('ST-', id % 4) AS store_id", "date_add(DATE'2025-03-01', CAST(id % " + DATES + " AS INT)) AS business_date",
        "'sale' AS event_type", "concat('o', id) AS order_id", "'FR' AS country", "'EMEA' AS region", "'pos' AS channel",
        "concat('SKU-', id % 17) AS sku", "CAST(id * 1.25 AS DECIMAL(38,16)) AS net_amount", "id AS source_line"));
  }

  /** Appends {@code rows} to {@code t} in {@code commits} commits of one file per business date each. */
  public static void appendInCommits(Lake lake, Table t, Dataset<Row> rows, int commits) {
    for (int i = 0; i < commits; i++) {
      lake.append(t, rows.filter("floor(source_line * " + commits + " / " + ROWS + ") = " + i).coalesce(1));
    }
  }

  private SmallFiles() {}
}
