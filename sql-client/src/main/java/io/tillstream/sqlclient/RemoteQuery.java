package io.tillstream.sqlclient;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One SQL statement sent to a Spark Connect server. Only JDK types cross this class's boundary: it runs in a class
 * loader of its own, apart from the Spark classes of the process that calls it.
 */
public final class RemoteQuery {
  /**
   * Runs {@code statement} on the server at {@code url} (sc://HOST:PORT[/;token=...]) and hands {@code rows} the
   * column names first, then each row as text (nested values as JSON, null as null).
   */
  public static void run(String url, String statement, Consumer<String[]> rows) {
    SparkSession spark = SparkSession.builder().remote(url).create();
    try {
      Dataset<Row> result = spark.sql(statement);
      StructType schema = result.schema();
      String[] header = schema.fieldNames();
      rows.accept(header);
      for (Row r : result.select(asText(schema)).collectAsList()) {
        String[] cells = new String[r.size()];
        for (int i = 0; i < cells.length; i++) {
          cells[i] = r.isNullAt(i) ? null : r.getString(i);
        }
        rows.accept(cells);
      }
    } finally {
      spark.close();
    }
  }

  /** Each column as a string: arrays, maps and structs as JSON. */
  private static Column[] asText(StructType schema) {
    Column[] asText = new Column[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      StructField f = schema.fields()[i];
      boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof MapType
          || f.dataType() instanceof StructType;
      Column c = col("`" + f.name().replace("`", "``") + "`");
      asText[i] = (nested ? to_json(c) : c.cast("string")).as("c" + i);
    }
    return asText;
  }

  private RemoteQuery() {}
}
