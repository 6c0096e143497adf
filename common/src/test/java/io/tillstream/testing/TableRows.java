package io.tillstream.testing;

import io.tillstream.lake.Table;
import java.util.Arrays;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Test rows shaped as a table's schema of record ({@link Table#schema}): what a test does not set is null. */
public final class TableRows {

  /** {@code rows}' columns that {@code t} declares, and a typed null for each declared column they lack. */
  public static Dataset<Row> complete(Table t, Dataset<Row> rows) {
    Set<String> given = Set.of(rows.columns());
    return rows.select(Arrays.stream(t.schema().fields()).map(f -> (given.contains(f.name())
        ? functions.col(f.name()) : functions.lit(null)).cast(f.dataType()).as(f.name())).toArray(Column[]::new));
  }

  private TableRows() {}
}
