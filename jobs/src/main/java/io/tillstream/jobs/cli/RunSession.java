package io.tillstream.jobs.cli;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.lake.SparkSessions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a run that people watch: the Spark UI on (bound to SPARK_LOCAL_IP, which the scripts set to
 * 127.0.0.1; its address printed) with Spark's metrics for Prometheus, and event logs written for the History
 * Server (scripts/history-server).
 * A spark.ui.* or spark.eventLog.* key the user sets wins.
 */
public final class RunSession {
  /**
   * Spark's own metrics in the Prometheus format on the UI's port: the driver's at /metrics/prometheus, the
   * executors' at /metrics/executors/prometheus, under the stable prefix metrics_tillstream_ (not the app id), with
   * the streaming queries' rates and latencies among them.
   */
  static final Map<String, String> SPARK_METRICS = Map.of(
      "spark.metrics.namespace", "tillstream",
      "spark.metrics.conf.*.sink.prometheusServlet.class", "org.apache.spark.metrics.sink.PrometheusServlet",
      "spark.metrics.conf.*.sink.prometheusServlet.path", "/metrics/prometheus",
      "spark.ui.prometheus.enabled", "true",
      "spark.sql.streaming.metricsEnabled", "true");

  /** Where a run's event log goes: history.event-log-dir, or the lake's ops/_spark-events when it is empty. */
  public static String eventLogDir(TillstreamConfig config, String lakeRoot) {
    String configured = config.get(ConfigKeys.HISTORY_EVENT_LOG_DIR);
    return configured.isBlank() ? lakeRoot.replaceAll("/+$", "") + "/ops/_spark-events" : configured;
  }

  /** Gets or creates the session for {@code appName}; a new one gets the UI and event logs. */
  public static SparkSession getOrCreate(String appName, TillstreamConfig config, String lakeRoot, PrintStream err) {
    return getOrCreate(appName, config.sparkSettings(), config, lakeRoot, err);
  }

  /** As above, with Spark settings the command adjusted (the stream's real-time alert tasks). */
  public static SparkSession getOrCreate(String appName, Map<String, String> sparkSettings, TillstreamConfig config,
      String lakeRoot, PrintStream err) {
    Map<String, String> settings = new TreeMap<>(sparkSettings);
    boolean fresh = SparkSession.getDefaultSession().isEmpty();
    if (fresh) {
      // Spark binds its UI to SPARK_LOCAL_IP, or to every interface without it: then only when asked to.
      settings.putIfAbsent("spark.ui.enabled", Boolean.toString(System.getenv("SPARK_LOCAL_IP") != null));
      settings.putIfAbsent("spark.eventLog.enabled", "true");
      SPARK_METRICS.forEach(settings::putIfAbsent);
      if (Boolean.parseBoolean(submittedOr(settings, "spark.eventLog.enabled"))) {
        settings.putIfAbsent("spark.eventLog.dir", eventLogDir(config, lakeRoot));
        createFolder(submittedOr(settings, "spark.eventLog.dir"), settings);
      }
    }
    SparkSession spark = SparkSessions.getOrCreate(appName, settings);
    if (fresh) {
      scala.Option<String> ui = spark.sparkContext().uiWebUrl();
      if (ui.isDefined()) {
        // Spark names the driver's host; say the address the UI is bound to.
        String bound = System.getenv("SPARK_LOCAL_IP");
        err.println("tillstream: Spark UI at " + (bound == null || bound.equals("0.0.0.0") ? ui.get()
            : "http://" + bound + ":" + URI.create(ui.get()).getPort()));
      }
    }
    return spark;
  }

  /** A setting as spark-submit gave it (it wins, see SparkSessions), else as {@code settings} have it. */
  private static String submittedOr(Map<String, String> settings, String key) {
    return System.getProperty(key, settings.get(key));
  }

  /** Spark refuses to start when the event log folder is missing. */
  private static void createFolder(String dir, Map<String, String> settings) {
    Configuration hadoop = new Configuration();
    settings.forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) {
        hadoop.set(k.substring("spark.hadoop.".length()), v);
      }
    });
    try {
      Path path = new Path(dir);
      path.getFileSystem(hadoop).mkdirs(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the event log folder " + dir + " (history.event-log-dir)", e);
    }
  }

  private RunSession() {}
}
