package io.tillstream.jobs.stream;

import io.tillstream.config.ConfigKeys;
import io.tillstream.dims.CurrentDimensions;
import io.tillstream.privacy.PiiKey;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The running streaming job: the ingest query (source → {@link MicroBatchIngest} → every table) and, on a Kafka
 * source with alerts, the fast large_order query ({@link FastAlerts}). Stateless on Spark's side: duplicates are
 * found against silver, late events rewrite their days' gold partitions, so no state store grows.
 */
public final class StreamJob {
  static final String INGEST_QUERY = "tillstream-ingest";
  static final String ALERTS_QUERY = "tillstream-fast-alerts";

  private static final org.apache.spark.sql.types.StructType BINARY_FILE = new org.apache.spark.sql.types.StructType()
      .add("path", "string").add("modificationTime", "timestamp").add("length", "long").add("content", "binary");

  private final SparkSession spark;
  private final StreamSettings settings;
  private final StreamProgress progress;
  private final List<StreamingQuery> queries = new ArrayList<>();
  private final StopGate ingestGate = new StopGate();

  private StreamJob(SparkSession spark, StreamSettings settings, StreamProgress progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress;
  }

  /** Loads the reference data and starts the queries. */
  public static StreamJob start(SparkSession spark, StreamSettings s, PiiKey key, PrintStream out) {
    // The ingest query checks the files before each micro-batch; the alert query uses what it last loaded.
    CurrentDimensions dims = CurrentDimensions.start(spark.sparkContext().hadoopConfiguration(), s.dims(),
        s.config().streamDimsSettle());
    dims.inUse().dims().warnings().forEach(w -> out.println("warning: " + w));
    out.println("stream: reference data " + dims.inUse().fingerprint());
    StreamProgress progress = new StreamProgress(INGEST_QUERY, out);
    spark.streams().addListener(progress);
    StreamJob job = new StreamJob(spark, s, progress);
    String alertsBootstrap = s.alertsBootstrap();
    AlertTopic alerts = alertsBootstrap == null ? null : new AlertTopic(alertsBootstrap, s.alertsTopic());
    try {
      job.queries.add(job.source().writeStream().queryName(INGEST_QUERY)
          .option("checkpointLocation", s.checkpoint() + "/ingest")
          .trigger(s.availableNow() ? Trigger.AvailableNow() : Trigger.ProcessingTime(s.trigger().toMillis()))
          .foreachBatch(new MicroBatchIngest(s, dims, key, alerts, progress, job.ingestGate))
          .start());
      if (alerts != null && s.fastAlerts()) {
        job.queries.add(job.kafka().writeStream().queryName(ALERTS_QUERY)
            .option("checkpointLocation", s.checkpoint() + "/fast-alerts")
            .trigger(s.availableNow() ? Trigger.AvailableNow() : Trigger.ProcessingTime(0))
            .foreachBatch(new FastAlerts(s, dims, key, alerts))
            .start());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("the streaming query did not start: " + e.getMessage(), e);
    }
    out.println("stream: reading " + s.describeSource() + " into lake " + s.lake() + " (checkpoint "
        + s.checkpoint() + ", trigger " + (s.availableNow() ? "available-now" : s.trigger().toSeconds() + "s")
        + (alerts == null ? ", no alerts" : ", alerts to topic " + s.alertsTopic()
            + (s.fastAlerts() ? " (large_order on the fast path)" : "")) + ")");
    out.flush();
    return job;
  }

  private Dataset<Row> source() {
    if (settings.source() == StreamSettings.Source.KAFKA) {
      return kafka();
    }
    // Only the paths are used (the contents are read by the micro-batch with line numbers).
    return spark.readStream().format("binaryFile").schema(BINARY_FILE).option("recursiveFileLookup", "true")
        .option("maxFilesPerTrigger", settings.config().get(ConfigKeys.STREAM_FILES_MAX_FILES))
        .load(settings.input()).select("path");
  }

  private Dataset<Row> kafka() {
    DataStreamReader r = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", settings.bootstrap())
        .option("subscribe", settings.topic())
        .option("startingOffsets", settings.config().get(ConfigKeys.STREAM_KAFKA_STARTING_OFFSETS))
        .option("maxOffsetsPerTrigger", settings.config().get(ConfigKeys.STREAM_KAFKA_MAX_OFFSETS))
        .option("failOnDataLoss", settings.config().get(ConfigKeys.STREAM_KAFKA_FAIL_ON_DATA_LOSS))
        // Ride out a broker restart (about a minute) instead of failing the query.
        .option("fetchOffset.numRetries", "60")
        .option("fetchOffset.retryIntervalMs", "1000");
    return r.load();
  }

  /**
   * Waits until every query ends (available-now: when the input is done; otherwise on {@link #stopGracefully}
   * or a failure, which stops the others). Returns the first failure, or null.
   */
  public StreamingQueryException await() {
    StreamingQueryException failure = null;
    while (queries.stream().anyMatch(StreamingQuery::isActive)) {
      try {
        spark.streams().awaitAnyTermination(1000);
      } catch (StreamingQueryException e) {
        failure = failure == null ? e : failure;
        stopAll();
      }
      spark.streams().resetTerminated();
    }
    for (StreamingQuery q : queries) {
      if (failure == null && q.exception().isDefined()) {
        failure = q.exception().get();
      }
    }
    return failure;
  }

  /** Lets the running micro-batch of each query finish, then stops the queries (SIGTERM). */
  public void stopGracefully(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    ingestGate.requestStop();
    while (!ingestGate.drained() && System.currentTimeMillis() < deadline) {
      sleep(100);
    }
    for (StreamingQuery q : queries) { // the alert query has no gate: its micro-batches are tiny and stateless
      while (!INGEST_QUERY.equals(q.name()) && q.isActive() && q.status().isTriggerActive()
          && System.currentTimeMillis() < deadline) {
        sleep(100);
      }
    }
    stopAll();
  }

  private void stopAll() {
    for (StreamingQuery q : queries) {
      try {
        q.stop();
      } catch (TimeoutException e) {
        // stop() waits for the query thread; a later JVM exit ends it anyway
      }
    }
  }

  public String totals() {
    return String.format("%d micro-batches: read %d, accepted %d, quarantined %d, duplicates %d",
        progress.batches.get(), progress.read.get(), progress.accepted.get(), progress.quarantined.get(),
        progress.duplicates.get());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
