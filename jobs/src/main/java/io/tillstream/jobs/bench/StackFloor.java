package io.tillstream.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import io.tillstream.lake.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What Spark and Delta cost on this machine with none of Tillstream's work: the floor under the figures
 * {@code scripts/bench small} and {@code compare.sh} measure. Each form runs in a fresh JVM started the way
 * {@code scripts/tillstream} starts one (same heap, GC and class-data sharing archive), and prints milliseconds
 * since the JVM started ({@code ProcessHandle} start time) so that JVM start-up is counted.
 *
 * <ul>
 *   <li>{@code tables DIR N}: creates N Delta tables of 300 rows each (one CREATE TABLE ... AS SELECT each), what a
 *       run on a few hundred events must at least do to write N tables;</li>
 *   <li>{@code query TABLE_PATH}: one {@code count(*)} of a Delta table, what one {@code sql} command must at least do;
 *   </li>
 *   <li>{@code volume INPUT_DIR DIR}: reads the JSON Lines under INPUT_DIR and writes three tables without any
 *       validation, tokens, duplicate check or reference data: the lines with a hash (bronze), one row per item
 *       (silver) and sums per day, store and currency (daily).</li>
 * </ul>
 */
public final class StackFloor {

  public static void main(String[] args) {
    SparkSession spark = SparkSessions.getOrCreate("tillstream-bench-floor",
        Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions", "2"));
    print("session");
    switch (args[0]) {
      case "tables" -> tables(spark, args[1], Integer.parseInt(args[2]));
      case "query" -> System.out.println("count " + spark.sql("SELECT count(*) FROM delta.`" + args[1] + "`")
          .first().getLong(0));
      case "volume" -> volume(spark, args[1], args[2]);
      default -> throw new IllegalArgumentException("usage: StackFloor tables DIR N | query TABLE | volume IN DIR");
    }
    print("total");
    spark.stop();
  }

  private static void tables(SparkSession spark, String dir, int n) {
    // As Tillstream runs inputs of this size: expressions interpreted (SparkSessions.interpretingSmallInput).
    spark.conf().set("spark.sql.codegen.wholeStage", "false");
    spark.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    for (int i = 0; i < n; i++) {
      spark.range(0, 300).selectExpr("id", "date_add(DATE'2025-03-01', CAST(id % 14 AS INT)) AS business_date",
          "CAST(id * 1.5 AS DECIMAL(18,2)) AS amount", "concat('S', id % 5) AS store_id")
          .createOrReplaceTempView("floor_rows");
      spark.sql("CREATE TABLE delta.`" + dir + "/t" + i + "` USING delta CLUSTER BY (business_date)"
          + " AS SELECT * FROM floor_rows");
      print("table " + (i + 1));
    }
  }

  private static void volume(SparkSession spark, String in, String dir) {
    spark.read().text(in).select(col("value"), sha2(col("value"), 256).as("hash"))
        .write().format("delta").save(dir + "/bronze");
    print("bronze");
    StructType item = new StructType().add("sku", "string").add("quantity", "int")
        .add("unit_price", "decimal(18,2)");
    StructType event = new StructType().add("event_id", "string").add("event_time", "timestamp")
        .add("store_id", "string").add("currency", "string").add("items", DataTypes.createArrayType(item));
    spark.read().format("delta").load(dir + "/bronze").select(from_json(col("value"), event).as("e"))
        .select(col("e.event_id"), to_date(col("e.event_time")).as("business_date"), col("e.store_id"),
            col("e.currency"), explode(col("e.items")).as("i"))
        .select(col("event_id"), col("business_date"), col("store_id"), col("currency"), col("i.sku"),
            col("i.quantity"), col("i.quantity").multiply(col("i.unit_price")).cast("decimal(18,2)").as("net"))
        .write().format("delta").save(dir + "/silver");
    print("silver");
    spark.read().format("delta").load(dir + "/silver").groupBy("business_date", "store_id", "currency")
        .agg(sum("net").as("net"), countDistinct("event_id").as("orders"))
        .write().format("delta").save(dir + "/daily");
    print("daily");
  }

  private static void print(String what) {
    long sinceStart = System.currentTimeMillis()
        - ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    System.out.println(what + " " + sinceStart + " ms");
  }

  private StackFloor() {}
}
