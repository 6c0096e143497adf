package io.tillstream.jobs.stream;

import io.tillstream.config.ConfigKeys;
import io.tillstream.dims.CurrentDimensions;
import io.tillstream.ingest.KafkaRecords;
import io.tillstream.jobs.metrics.PipelineMetrics;
import io.tillstream.jobs.metrics.TableGauges;
import io.tillstream.lake.Lake;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.privacy.PiiKey;
import io.tillstream.run.PipelineContexts;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The running streaming job: the ingest query (source → {@link MicroBatchIngest} → every table, gold on the
 * cadence of {@link GoldCadence}) and, on a Kafka source with alerts, the large_order query in real-time mode
 * ({@link RealTimeAlerts}). Stateless on Spark's side: duplicates are found against silver, late events rewrite
 * their days' gold partitions, so no state store grows.
 */
public final class StreamJob {
  static final String INGEST_QUERY = "tillstream-ingest";
  static final String ALERTS_QUERY = "tillstream-fast-alerts";
  private static final long TABLE_METRICS_INTERVAL_MS = 60_000;

  private static final org.apache.spark.sql.types.StructType BINARY_FILE = new org.apache.spark.sql.types.StructType()
      .add("path", "string").add("modificationTime", "timestamp").add("length", "long").add("content", "binary");

  private final SparkSession spark;
  private final StreamSettings settings;
  private final StreamProgress progress;
  private final List<StreamingQuery> queries = new CopyOnWriteArrayList<>();
  private final StopGate ingestGate = new StopGate();
  private MicroBatchIngest ingest;
  private PrintStream out;
  private CurrentDimensions dims;
  private AlertTopic alerts;
  private PiiKey key;
  private StreamingQuery realTimeAlerts;
  /** The real-time alert query waits for the ingest query's first trigger. */
  private volatile boolean realTimeAlertsDue;
  private PipelineMetrics metrics;
  private long tablesMeasuredAt;
  private boolean tablesMeasuredWithData;
  private String realTimeAlertsReferenceData;
  /** Refresh gold on its cadences beside the micro-batches (none: gold every micro-batch). */
  private final List<ScheduledExecutorService> goldThreads = new CopyOnWriteArrayList<>();
  private static final long GOLD_LOOK_EVERY_MS = 200;

  private StreamJob(SparkSession spark, StreamSettings settings, StreamProgress progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * The task slots the real-time alert query will hold (one per partition of the source topic; 0: no real-time
   * alerts), after giving a local master as many more task threads ({@link RealTimeSlots}) in {@code sparkSettings}.
   */
  public static int realTimeAlertTasks(StreamSettings s, Map<String, String> sparkSettings, PrintStream out) {
    if (s.alertsBootstrap() == null || !s.realTimeAlerts()) {
      return 0;
    }
    int partitions = RealTimeSlots.topicPartitions(s.bootstrap(), s.topic());
    if (partitions == 0) {
      out.println("warning: topic " + s.topic() + " does not exist yet: large_order alerts leave with the"
          + " micro-batches, not in real time (restart the stream once the topic exists)");
      return 0;
    }
    String submitted = System.getProperty("spark.master");
    String master = submitted != null ? submitted : sparkSettings.getOrDefault("spark.master", "local[*]");
    String widened = RealTimeSlots.widenLocal(master, partitions, Runtime.getRuntime().availableProcessors());
    if (widened != null) {
      if (submitted != null) {
        System.setProperty("spark.master", widened); // spark-submit hands its --master over as this property
      }
      sparkSettings.put("spark.master", widened);
      out.println("stream: " + widened + ": one task thread more per partition of " + s.topic()
          + " for the real-time alert query");
    }
    return partitions;
  }

  /** Loads the reference data and starts the queries. */
  public static StreamJob start(SparkSession spark, StreamSettings s, PiiKey key, int alertTasks, PrintStream out) {
    return start(spark, s, key, alertTasks, out, new PipelineMetrics());
  }

  /** As above, feeding {@code metrics} (served by the stream command's endpoint). */
  public static StreamJob start(SparkSession spark, StreamSettings s, PiiKey key, int alertTasks, PrintStream out,
      PipelineMetrics metrics) {
    // The ingest query checks the files before each micro-batch; the alert query uses what it last loaded.
    CurrentDimensions dims = CurrentDimensions.start(spark.sparkContext().hadoopConfiguration(), s.dims(),
        s.config().get(ConfigKeys.STREAM_DIMS_SETTLE));
    dims.inUse().dims().warnings().forEach(w -> out.println("warning: " + w));
    out.println("stream: reference data " + dims.inUse().fingerprint());
    metrics.referenceDataLoaded(Instant.now(), false);
    StreamProgress progress = new StreamProgress(INGEST_QUERY, out, metrics, s.config().severities());
    spark.streams().addListener(progress);
    StreamJob job = new StreamJob(spark, s, progress);
    job.metrics = metrics;
    job.dims = dims;
    job.out = out;
    String alertsBootstrap = s.alertsBootstrap();
    AlertTopic alerts = alertsBootstrap == null ? null : new AlertTopic(alertsBootstrap, s.alertsTopic());
    int slots = spark.sparkContext().defaultParallelism();
    boolean realTime = alertTasks > 0 && alerts != null;
    if (realTime && slots <= alertTasks) {
      out.println("warning: " + slots + " task slots cannot hold the " + alertTasks + " tasks of the real-time"
          + " alert query and the micro-batches: large_order alerts leave with the micro-batches (give the"
          + " executors more cores, or set " + ConfigKeys.STREAM_ALERTS_FAST_PATH.name() + "=false)");
      realTime = false;
    }
    // Gold every micro-batch in available-now mode: the run ends with its last micro-batch.
    GoldCadence cadence = new GoldCadence(spark.sparkContext().hadoopConfiguration(), s.checkpoint(),
        s.availableNow() ? Duration.ZERO : s.config().get(ConfigKeys.STREAM_GOLD_INTERVAL),
        s.config().get(ConfigKeys.STREAM_GOLD_OTHERS_INTERVAL), s.config().get(ConfigKeys.STREAM_GOLD_OTHERS_BACKOFF));
    job.ingest = new MicroBatchIngest(s, dims, key, alerts, realTime, progress, job.ingestGate, cadence,
        StreamRawWrites.decide(spark, s),
        IngestCheckpoint.settledBatch(spark.sparkContext().hadoopConfiguration(), IngestCheckpoint.dir(s)));
    SortedSet<LocalDate> settled = cadence.refreshPendingAtStart() ? job.ingest.flushPendingGold(spark)
        : new java.util.TreeSet<>();
    if (!settled.isEmpty()) {
      out.println("stream: gold refreshed for " + settled.size() + " day(s) an earlier run left pending ("
          + settled.first() + ".." + settled.last() + ")");
    }
    try {
      job.queries.add(job.source().writeStream().queryName(INGEST_QUERY)
          .option("checkpointLocation", IngestCheckpoint.dir(s))
          .trigger(s.availableNow() ? Trigger.AvailableNow() : Trigger.ProcessingTime(s.trigger().toMillis()))
          .foreachBatch(job.ingest)
          .start());
      if (realTime) {
        // Started by await() once the ingest query's first trigger has ended: started beside it, the alert query
        // takes a third of a restart's first micro-batch (docs/benchmarks.md). Records that arrive meanwhile wait
        // in Kafka for it; none is skipped.
        job.alerts = alerts;
        job.key = key;
        job.realTimeAlertsDue = true;
      }
      if (!cadence.everyMicroBatch()) {
        for (GoldCadence.Tier tier : GoldCadence.Tier.values()) {
          job.startGoldThread(tier);
        }
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("the streaming query did not start: " + e.getMessage(), e);
    }
    out.println("stream: reading " + s.describeSource() + " into lake " + s.lake() + " (checkpoint "
        + s.checkpoint() + ", trigger " + (s.availableNow() ? "available-now" : s.trigger().toSeconds() + "s")
        + (alerts == null ? ", no alerts" : ", alerts to topic " + s.alertsTopic()
            + (realTime ? " (large_order in real time)" : ""))
        + (cadence.everyMicroBatch() ? "" : ", gold.daily_sales every " + cadence.interval(GoldCadence.Tier.DAILY_SALES)
            + ", the other gold tables every " + cadence.interval(GoldCadence.Tier.OTHERS)) + ")");
    out.flush();
    return job;
  }

  /**
   * Starts the large_order query in real-time mode with the reference data in use. Its trigger interval is how
   * often it checkpoints its offsets, not a latency: records are processed as they arrive.
   */
  private void startRealTimeAlerts(AlertTopic topic, PiiKey piiKey) throws TimeoutException {
    alerts = topic;
    key = piiKey;
    CurrentDimensions.Loaded ref = dims.inUse();
    PipelineContext ctx = PipelineContexts.build(spark, settings.config(), ref.dims(), key, Instant.now(), null,
        null);
    // Real-time mode refuses the per-trigger limits of the ingest's reader.
    Dataset<Row> kafka = kafkaReader().load();
    realTimeAlerts = alerts.writeStream(RealTimeAlerts.largeOrders(KafkaRecords.asRaw(kafka), ctx,
            settings.config().get(ConfigKeys.LARGE_ORDER_MIN_NET)))
        .queryName(ALERTS_QUERY)
        .option("checkpointLocation", settings.checkpoint() + "/real-time-alerts")
        .outputMode("update")
        .trigger(Trigger.RealTime(settings.config().get(ConfigKeys.STREAM_ALERTS_CHECKPOINT_INTERVAL).toMillis()))
        .start();
    realTimeAlertsReferenceData = ref.fingerprint();
    queries.add(realTimeAlerts);
  }

  /**
   * Gold beside the micro-batches, one thread per cadence: it looks every 200 ms whether its interval has passed
   * with days pending, in its own session (commit marks are session settings) and its own fair-scheduler pool, so a
   * refresh never holds up silver, and the other tables' longer refresh never holds up daily sales.
   */
  private void startGoldThread(GoldCadence.Tier tier) {
    SparkSession session = spark.newSession();
    String name = tier == GoldCadence.Tier.DAILY_SALES ? SchedulerPools.GOLD_DAILY_SALES : SchedulerPools.GOLD_OTHERS;
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tillstream-" + name);
      t.setDaemon(true);
      return t;
    });
    thread.execute(() -> session.sparkContext().setLocalProperty("spark.scheduler.pool", name));
    thread.scheduleWithFixedDelay(() -> flushGold(session, tier), GOLD_LOOK_EVERY_MS, GOLD_LOOK_EVERY_MS,
        TimeUnit.MILLISECONDS);
    goldThreads.add(thread);
  }

  /** Refreshes the pending days of {@code tier} when due; a failure leaves them pending for the next try. */
  private void flushGold(SparkSession session, GoldCadence.Tier tier) {
    // After a start, the first micro-batch goes first: a refresh of what an earlier run left pending would take half
    // its cores (a restart's first micro-batch: 30 s beside it, docs/benchmarks.md).
    if (ingestGate.stopRequested() || progress.beforeFirstTrigger()) {
      return;
    }
    try {
      SortedSet<LocalDate> days = ingest.flushGold(session, tier);
      if (!days.isEmpty()) {
        out.println("stream gold: refreshed " + (tier == GoldCadence.Tier.DAILY_SALES ? "daily_sales" : "the other"
            + " gold tables") + " for " + days.size() + " pending day(s) " + days.first() + ".." + days.last());
        out.flush();
      }
    } catch (RuntimeException e) {
      out.println("warning: gold refresh failed, the days stay pending: " + e.getMessage());
      out.flush();
    }
  }

  /**
   * After the queries ended: lets a running refresh finish. What is still pending waits for the next start (a stop
   * does not run a refresh of unbounded length).
   */
  private void stopGoldThread() {
    goldThreads.forEach(ScheduledExecutorService::shutdown);
    try {
      for (ScheduledExecutorService thread : goldThreads) {
        thread.awaitTermination(5, TimeUnit.MINUTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Table sizes for the metrics between micro-batches (Delta log and statistics): after the first micro-batch that
   * read records, then once a minute; never before the first trigger ended (measuring every table rebuilds each
   * one's state, which took the CPU from a restart's first micro-batch).
   */
  private void measureTablesIfDue() {
    if (progress.beforeFirstTrigger()) {
      return;
    }
    long now = System.currentTimeMillis();
    boolean firstData = !tablesMeasuredWithData && progress.batches.get() > 0;
    if (!firstData && now - tablesMeasuredAt < TABLE_METRICS_INTERVAL_MS || ingestGate.stopRequested()) {
      return;
    }
    tablesMeasuredAt = now;
    tablesMeasuredWithData = progress.batches.get() > 0;
    try {
      TableGauges.measure(new Lake(spark, settings.lake()), metrics);
    } catch (RuntimeException e) {
      out.println("warning: table sizes for the metrics not measured: " + e.getMessage());
      out.flush();
    }
  }

  /** Starts the real-time alert query once the ingest query's first trigger has ended (see {@link #start}). */
  private void startRealTimeAlertsIfDue() {
    if (!realTimeAlertsDue || progress.beforeFirstTrigger() || ingestGate.stopRequested()) {
      return;
    }
    realTimeAlertsDue = false;
    try {
      startRealTimeAlerts(alerts, key);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the real-time alert query did not start: " + e.getMessage(), e);
    }
  }

  /** The real-time query plans its reference data once: it restarts when the ingest query has loaded a new set. */
  private void restartRealTimeAlertsOnNewReferenceData() {
    if (realTimeAlerts == null || !realTimeAlerts.isActive() || ingestGate.stopRequested()
        || dims.inUse().fingerprint().equals(realTimeAlertsReferenceData)) {
      return;
    }
    try {
      realTimeAlerts.stop();
      queries.remove(realTimeAlerts);
      startRealTimeAlerts(alerts, key);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the real-time alert query did not restart: " + e.getMessage(), e);
    }
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
    return kafkaReader()
        .option("maxOffsetsPerTrigger", settings.config().get(ConfigKeys.STREAM_KAFKA_MAX_OFFSETS))
        // Ride out a broker restart (about a minute) instead of failing the query.
        .option("fetchOffset.numRetries", "60")
        .option("fetchOffset.retryIntervalMs", "1000")
        .load();
  }

  /** The source topic, as both queries read it. */
  private DataStreamReader kafkaReader() {
    return spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", settings.bootstrap())
        .option("subscribe", settings.topic())
        .option("startingOffsets", settings.config().get(ConfigKeys.STREAM_KAFKA_STARTING_OFFSETS))
        .option("failOnDataLoss", settings.config().get(ConfigKeys.STREAM_KAFKA_FAIL_ON_DATA_LOSS));
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
        startRealTimeAlertsIfDue();
        restartRealTimeAlertsOnNewReferenceData();
        measureTablesIfDue();
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
    stopGoldThread();
    return failure;
  }

  /** Lets the running ingest micro-batch finish, then stops the queries (SIGTERM). */
  public void stopGracefully(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    ingestGate.requestStop();
    // Past the gate is not enough: Spark writes the micro-batch's commit to the checkpoint after foreachBatch
    // returns, so wait until the query is idle or the next micro-batch waits at the gate; stopping in between
    // would make the next start read the committed micro-batch again.
    StreamingQuery ingestQuery = queries.stream().filter(q -> INGEST_QUERY.equals(q.name())).findFirst()
        .orElse(null);
    while (System.currentTimeMillis() < deadline && !(ingestGate.drained() && (ingestGate.holding()
        || ingestQuery == null || !ingestQuery.isActive() || !ingestQuery.status().isTriggerActive()))) {
      sleep(100);
    }
    // The real-time alert query stops where it is: a restart resumes from its last checkpoint and may send an
    // alert again (same alert_id), never lose one.
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
