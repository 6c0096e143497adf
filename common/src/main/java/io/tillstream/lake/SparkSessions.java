package io.tillstream.lake;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** The one place that knows the Spark and Delta settings Tillstream relies on. */
public final class SparkSessions {

  /** Settings every Tillstream session needs, whoever starts it. */
  public static final Map<String, String> REQUIRED = Map.of(
      "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
      "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
      // Business dates are computed from UTC instants; the session zone must not shift them.
      "spark.sql.session.timeZone", "UTC");

  /** Defaults that make small clusters fast; any of them can be overridden with spark.* configuration keys. */
  public static final Map<String, String> DEFAULTS = Map.of(
      "spark.ui.enabled", "false",
      "spark.sql.adaptive.enabled", "true",
      "spark.databricks.delta.snapshotPartitions", "2",
      "spark.sql.sources.partitionOverwriteMode", "static",
      "spark.databricks.delta.schema.autoMerge.enabled", "false",
      "spark.sql.parquet.compression.codec", "snappy",
      // The run caches its classified records once; compressing that short-lived cache costs more than it saves.
      "spark.sql.inMemoryColumnarStorage.compressed", "false",
      // Data-skipping statistics on the leading key columns only; collecting them on every column is costly.
      "spark.databricks.delta.properties.defaults.dataSkippingNumIndexedCols", "8",
      // Tables live in the lake; the session catalog only names them, so keep its warehouse out of the cwd.
      "spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/tillstream-warehouse");

  /**
   * Gets or creates the session. What spark-submit was given (--master, --conf, spark-defaults.conf; it hands them
   * to the driver as system properties) wins over {@code settings} and over the defaults above.
   */
  public static SparkSession getOrCreate(String appName, Map<String, String> settings) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    DEFAULTS.forEach((k, v) -> configUnlessSubmitted(b, k, v));
    settings.forEach((k, v) -> configUnlessSubmitted(b, k, v));
    REQUIRED.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    REQUIRED.forEach((k, v) -> {
      if (!k.startsWith("spark.sql.extensions") && !k.startsWith("spark.sql.catalog")) {
        spark.conf().set(k, v);
      }
    });
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /**
   * Input below this size (bytes as stored) is run with Spark's expressions interpreted rather than compiled: on a
   * few thousand records compiling the generated code costs more than it saves (the samples' batch run: 52 s
   * compiled, 34 s interpreted, docs/benchmarks.md).
   */
  public static final long INTERPRET_BELOW_BYTES = 64L << 20;

  private static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  private static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";
  private static final List<String> CODEGEN_KEYS = List.of(WHOLE_STAGE, FACTORY_MODE);

  /**
   * Runs {@code work} with Spark's code generation off when {@code inputBytes} is below
   * {@link #INTERPRET_BELOW_BYTES} and no code generation setting was given, then restores the session.
   */
  public static <T> T interpretingSmallInput(SparkSession spark, long inputBytes, Supplier<T> work) {
    if (inputBytes >= INTERPRET_BELOW_BYTES || CODEGEN_KEYS.stream().anyMatch(k -> spark.conf().contains(k))) {
      return work.get();
    }
    return withCodegen(spark, "false", "NO_CODEGEN", work);
  }

  /**
   * Runs {@code work} compiled (whole-stage code generation, FALLBACK: Spark's defaults) in a session that runs
   * interpreted, then restores the session's settings: the stream's micro-batches when a large one is expected.
   */
  public static <T> T compiling(SparkSession spark, Supplier<T> work) {
    return withCodegen(spark, "true", "FALLBACK", work);
  }

  /** Whether {@code settings} or the JVM's system properties (spark-submit's) hold a spark.sql.codegen.* key. */
  public static boolean codegenChosen(java.util.Map<String, String> settings) {
    return java.util.stream.Stream.concat(settings.keySet().stream(),
        System.getProperties().stringPropertyNames().stream()).anyMatch(k -> k.startsWith("spark.sql.codegen."));
  }

  /** Runs {@code work} with the two code generation settings given, then puts back what the session had. */
  private static <T> T withCodegen(SparkSession spark, String wholeStage, String factoryMode, Supplier<T> work) {
    java.util.Map<String, String> before = new java.util.HashMap<>();
    CODEGEN_KEYS.forEach(k -> before.put(k, spark.conf().contains(k) ? spark.conf().get(k) : null));
    spark.conf().set(WHOLE_STAGE, wholeStage);
    spark.conf().set(FACTORY_MODE, factoryMode);
    try {
      return work.get();
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          spark.conf().unset(k);
        } else {
          spark.conf().set(k, v);
        }
      });
    }
  }

  private static void configUnlessSubmitted(SparkSession.Builder b, String key, String value) {
    if (System.getProperty(key) == null) {
      b.config(key, value);
    }
  }

  private SparkSessions() {}
}
