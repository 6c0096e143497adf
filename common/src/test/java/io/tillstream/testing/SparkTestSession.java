package io.tillstream.testing;

import io.tillstream.lake.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One local SparkSession per test JVM: local[2], 2 shuffle partitions, UTC, Delta, no UI. */
public final class SparkTestSession {
  private static SparkSession spark;

  public static synchronized SparkSession get() {
    if (spark == null) {
      System.setProperty("spark.master", "local[2]");
      spark = SparkSessions.getOrCreate("tillstream-tests", Map.of(
          "spark.master", "local[2]",
          "spark.sql.shuffle.partitions", "2",
          "spark.default.parallelism", "2",
          "spark.driver.host", "127.0.0.1",
          "spark.driver.bindAddress", "127.0.0.1",
          "spark.sql.adaptive.coalescePartitions.enabled", "true",
          "spark.databricks.delta.snapshotPartitions", "1"));
    }
    return spark;
  }

  private SparkTestSession() {}
}
