package io.tillstream.run;

import static org.apache.spark.sql.functions.col;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/** The lines silver.sales_lines gained between two of its versions, read from Delta's change feed. */
final class SilverAdditions {

  /**
   * Silver's lines added after version {@code from} up to {@code to}, only {@code columns}, persisted (the caller
   * unpersists them); null when lines were changed or removed in between, or when the feed cannot be read (history
   * vacuumed, the feed enabled later).
   */
  static Dataset<Row> between(Lake lake, long from, long to, List<String> columns) {
    Dataset<Row> changes;
    try {
      changes = lake.spark().read().format("delta").option("readChangeFeed", "true")
          .option("startingVersion", from + 1).option("endingVersion", to)
          .load(Table.SILVER_SALES_LINES.path(lake.root()))
          .selectExpr(Stream.concat(columns.stream(), Stream.of("_change_type")).toArray(String[]::new))
          .persist(StorageLevel.MEMORY_AND_DISK());
      if (!changes.filter(col("_change_type").notEqual("insert")).isEmpty()) {
        changes.unpersist(false);
        return null;
      }
    } catch (Exception vacuumedOrUnreadable) { // Spark also throws checked exceptions undeclared
      return null;
    }
    return changes;
  }

  private SilverAdditions() {}
}
