package io.tillstream.testing;

import io.tillstream.lake.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession per test JVM: local[2], 2 shuffle partitions, UTC, Delta, no UI.
 *
 * <p>The settings are also set as system properties: a command run in-process (Main.run) calls
 * SparkSessions.getOrCreate with the configuration's spark.* keys (shuffle partitions 4, Delta snapshot partitions
 * 2, ...), which would otherwise overwrite this session's runtime settings for the rest of the JVM. A system
 * property wins there, as a spark-submit setting does.
 */
public final class SparkTestSession {
  /** What every test in this JVM runs with. */
  public static final Map<String, String> SETTINGS = Map.of(
      "spark.master", "local[2]",
      "spark.sql.shuffle.partitions", "2",
      "spark.default.parallelism", "2",
      "spark.driver.host", "127.0.0.1",
      "spark.driver.bindAddress", "127.0.0.1",
      "spark.ui.enabled", "false",
      "spark.sql.adaptive.coalescePartitions.enabled", "true",
      "spark.databricks.delta.snapshotPartitions", "1",
      "spark.sql.codegen.wholeStage", "false",
      "spark.sql.codegen.factoryMode", "NO_CODEGEN");

  private static SparkSession spark;

  public static synchronized SparkSession get() {
    if (spark == null) {
      SETTINGS.forEach(System::setProperty);
      spark = SparkSessions.getOrCreate("tillstream-tests", SETTINGS);
    }
    return spark;
  }

  private SparkTestSession() {}
}
