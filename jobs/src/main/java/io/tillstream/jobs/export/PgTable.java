package io.tillstream.jobs.export;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** An exported table's shape in PostgreSQL: its DDL and statements, from the lake table's declared schema. */
final class PgTable {
  private final ExportedTable table;
  private final StructType schema;

  PgTable(ExportedTable table) {
    this.table = table;
    this.schema = table.table().schema();
  }

  /**
   * CREATE TABLE with PostgreSQL types and the grain as primary key (date first, so it also serves the day
   * replacement), and an index on the grain's second column: one store, product, customer or rule across days.
   */
  List<String> createStatements() {
    List<String> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      boolean inKey = table.key().contains(f.name());
      columns.add(f.name() + " " + pgType(f.dataType()) + (inKey ? " NOT NULL" : ""));
    }
    columns.add("PRIMARY KEY (" + String.join(", ", table.key()) + ")");
    String across = table.key().get(1);
    return List.of("CREATE SCHEMA IF NOT EXISTS " + ExportedTable.SCHEMA,
        "CREATE TABLE IF NOT EXISTS " + table.pgName() + " (\n  " + String.join(",\n  ", columns) + "\n)",
        "CREATE INDEX IF NOT EXISTS " + table.table().tableName() + "_" + across + "_idx ON " + table.pgName()
            + " (" + across + ")");
  }

  String deleteDay() {
    return "DELETE FROM " + table.pgName() + " WHERE " + table.dateColumn() + " = ?";
  }

  /** INSERT of one row, nested values as JSON text cast to jsonb. */
  String insert() {
    List<String> values = new ArrayList<>();
    for (StructField f : schema.fields()) {
      values.add(isNested(f.dataType()) ? "CAST(? AS jsonb)" : "?");
    }
    return "INSERT INTO " + table.pgName() + " (" + String.join(", ", schema.fieldNames()) + ") VALUES ("
        + String.join(", ", values) + ")";
  }

  static boolean isNested(DataType t) {
    return t instanceof ArrayType || t instanceof MapType || t instanceof StructType;
  }

  /** DATE, NUMERIC(p,s), BIGINT, INTEGER, TEXT, TIMESTAMPTZ, BOOLEAN, DOUBLE PRECISION; arrays/maps/structs JSONB. */
  static String pgType(DataType t) {
    if (t instanceof DecimalType d) {
      return "NUMERIC(" + d.precision() + "," + d.scale() + ")";
    }
    if (isNested(t)) {
      return "JSONB";
    }
    if (t.equals(DataTypes.DateType)) {
      return "DATE";
    } else if (t.equals(DataTypes.LongType)) {
      return "BIGINT";
    } else if (t.equals(DataTypes.IntegerType)) {
      return "INTEGER";
    } else if (t.equals(DataTypes.StringType)) {
      return "TEXT";
    } else if (t.equals(DataTypes.TimestampType)) {
      return "TIMESTAMPTZ";
    } else if (t.equals(DataTypes.BooleanType)) {
      return "BOOLEAN";
    } else if (t.equals(DataTypes.DoubleType)) {
      return "DOUBLE PRECISION";
    }
    throw new IllegalArgumentException("no PostgreSQL type for " + t.sql());
  }
}
