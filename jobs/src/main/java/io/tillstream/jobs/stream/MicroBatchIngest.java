package io.tillstream.jobs.stream;

import io.tillstream.config.ConfigKeys;
import io.tillstream.dims.CurrentDimensions;
import io.tillstream.ingest.InputFiles;
import io.tillstream.ingest.KafkaRecords;
import io.tillstream.ingest.RawLines;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.privacy.PiiKey;
import io.tillstream.run.GoldRefresh;
import io.tillstream.run.IngestResult;
import io.tillstream.run.OpsLog;
import io.tillstream.run.PipelineContexts;
import io.tillstream.run.PipelineRun;
import io.tillstream.run.RunFailure;
import io.tillstream.run.RunRecord;
import io.tillstream.run.StageTimer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The streaming job's foreachBatch: one micro-batch is one run of the same {@link PipelineRun} the batch job
 * calls, inside a Delta transaction id (query id, batch id), so a micro-batch replayed after a crash commits
 * nothing twice. Every micro-batch logs one ops.runs row (job "stream") with the Kafka offsets or files it read
 * and the fingerprint of the reference data it used, checked for changes before each micro-batch.
 */
final class MicroBatchIngest implements VoidFunction2<Dataset<Row>, Long> {
  private final StreamSettings settings;
  private final CurrentDimensions dims;
  private final PiiKey key;
  private final AlertTopic alerts;
  private final boolean realTimeAlerts;
  private final StreamProgress progress;
  private final StopGate gate;
  private final GoldCadence cadence;
  /** Held by a micro-batch and by a gold refresh between micro-batches: one writer of gold at a time. */
  private final ReentrantLock writing = new ReentrantLock();

  /** {@code realTimeAlerts}: the real-time query sends large_order alerts; this one sends the rest. */
  MicroBatchIngest(StreamSettings settings, CurrentDimensions dims, PiiKey key, AlertTopic alerts,
      boolean realTimeAlerts, StreamProgress progress, StopGate gate, GoldCadence cadence) {
    this.settings = settings;
    this.dims = dims;
    this.key = key;
    this.alerts = alerts;
    this.realTimeAlerts = realTimeAlerts;
    this.progress = progress;
    this.gate = gate;
    this.cadence = cadence;
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) throws InterruptedException {
    gate.enter();
    writing.lock();
    try {
      ingest(batch, batchId);
    } finally {
      writing.unlock();
      gate.exit();
    }
  }

  /**
   * Refreshes gold for the days still pending from deferred micro-batches when the cadence says it is due (or
   * {@code always}), between micro-batches: the stream's last records reach gold even when no new record comes,
   * and a start first settles what a stopped or crashed run left. Returns the days refreshed.
   */
  SortedSet<LocalDate> flushGold(SparkSession spark, boolean always) {
    if (!writing.tryLock()) {
      return new TreeSet<>(); // a micro-batch is running; it refreshes them itself when due
    }
    try {
      long now = System.currentTimeMillis();
      SortedSet<LocalDate> days = always ? cadence.pending() : cadence.dueWithoutNewDays(now);
      if (days.isEmpty()) {
        return days;
      }
      Lake lake = new Lake(spark, settings.lake());
      StageTimer timer = new StageTimer();
      Instant started = Instant.now();
      Map<String, Long> versions = new GoldRefresh(lake, timer).refresh(days,
          PipelineContexts.suspiciousRules(settings.config()), settings.config().get(ConfigKeys.DEDUP_HORIZON_DAYS),
          settings.config().get(ConfigKeys.GOLD_PUBLISH_PARQUET), newAlerts(lake, timer, new long[1]));
      // One ops.runs row per refresh, like a micro-batch's (no records read).
      RunRecord record = new RunRecord("stream-gold-" + started.toEpochMilli(), "stream", "SUCCEEDED",
          started, Instant.now(), "gold refresh of " + days.size() + " pending day(s)", days.first().toString(),
          days.last().toString(), 0, null, List.of(), timer.ordered(), versions, null, null,
          dims.inUse().fingerprint());
      new OpsLog(lake).append(record);
      progress.goldRefreshed(record);
      cadence.refreshed(cadence.lastPendingBatch(), now);
      return days;
    } finally {
      writing.unlock();
    }
  }

  private Consumer<Dataset<Row>> newAlerts(Lake lake, StageTimer timer, long[] sent) {
    return alerts == null ? null : fresh -> sent[0] = timer.time("send alerts",
        () -> alerts.send(realTimeAlerts ? RealTimeAlerts.notSentInRealTime(fresh,
            lake.read(Table.SILVER_SALES_LINES), settings.config().get(ConfigKeys.LARGE_ORDER_MIN_NET)) : fresh));
  }

  private void ingest(Dataset<Row> batch, Long batchId) {
    SparkSession spark = batch.sparkSession();
    Instant started = Instant.now();
    String queryId = spark.sparkContext().getLocalProperty("sql.streaming.queryId");
    String runId = "stream-" + queryId.substring(0, 8) + "-" + batchId;
    Lake lake = new Lake(spark, settings.lake());
    StageTimer timer = new StageTimer();
    // Reference files changed since the last micro-batch: this one uses the new set if it is complete and valid.
    CurrentDimensions.Check check = timer.time("check reference data", dims::refresh);
    progress.referenceData(batchId, check);
    CurrentDimensions.Loaded ref = check.inUse();
    List<String> messages = new ArrayList<>(ref.dims().warnings());
    messages.addAll(check.warnings());
    long[] files = {0};
    Dataset<Row> raw = timer.time("read source", () -> rawRecords(spark, batch, messages, files));
    PipelineContext ctx = PipelineContexts.build(spark, settings.config(), ref.dims(), key, started, null, null);
    long[] alertsSent = {0};
    Consumer<Dataset<Row>> newAlerts = newAlerts(lake, timer, alertsSent);
    boolean[] goldRefreshed = {false};
    UnaryOperator<SortedSet<LocalDate>> goldDays = touched -> {
      SortedSet<LocalDate> due = cadence.due(batchId, touched, System.currentTimeMillis());
      goldRefreshed[0] = !due.isEmpty();
      return due;
    };
    // Every Delta commit of a successful micro-batch, its ops row included, carries (query id, batch id); a
    // failed attempt logs its ops row outside, so the attempt that finally succeeds still logs its own.
    PipelineRun.Outcome outcome;
    try {
      outcome = lake.idempotently("tillstream-stream-" + queryId, batchId, () -> {
        PipelineRun.Outcome o = PipelineRun.execute(lake, raw, ctx,
            PipelineContexts.suspiciousRules(settings.config()),
                settings.config().get(ConfigKeys.GOLD_PUBLISH_PARQUET), runId,
            Timestamp.from(started), timer, newAlerts, goldDays);
        if (o.succeeded()) {
          progress.record(batchId, log(lake, runId, started, files[0], o, messages, timer, ref), alertsSent[0]);
        }
        return o;
      });
    } catch (RuntimeException e) {
      String text = e.toString();
      log(lake, runId, started, files[0], new PipelineRun.Outcome(null, Map.of(),
          text.length() > 2000 ? text.substring(0, 2000) + " ..." : text), messages, timer, ref);
      throw e;
    }
    if (!outcome.succeeded()) {
      progress.record(batchId, log(lake, runId, started, files[0], outcome, messages, timer, ref), alertsSent[0]);
      throw new RunFailure("micro-batch " + batchId + " failed: " + outcome.error());
    }
    if (goldRefreshed[0]) {
      cadence.refreshed(batchId, System.currentTimeMillis());
    }
    measureFreshness(batch, Instant.now());
  }

  /**
   * With the metrics endpoint on and a Kafka source: the micro-batch's oldest Kafka record time and newest event
   * time (its top-level event_time field), for the freshness histogram. One more read of the micro-batch's offsets.
   */
  private void measureFreshness(Dataset<Row> batch, Instant committed) {
    if (settings.source() != StreamSettings.Source.KAFKA || settings.config().get(ConfigKeys.METRICS_PORT) == 0) {
      return;
    }
    Row times = batch.selectExpr("min(timestamp)",
        "max(try_cast(get_json_object(CAST(value AS STRING), '$.event_time') AS TIMESTAMP))").head();
    progress.freshness(times.isNullAt(0) ? null : times.getTimestamp(0).toInstant(),
        times.isNullAt(1) ? null : times.getTimestamp(1).toInstant(), committed);
  }

  private Dataset<Row> rawRecords(SparkSession spark, Dataset<Row> batch, List<String> messages, long[] files) {
    if (settings.source() == StreamSettings.Source.KAFKA) {
      return KafkaRecords.asRaw(batch);
    }
    // The file source only says which files are new; reading them whole keeps exact line numbers (gzip too).
    List<String> paths = new ArrayList<>();
    for (Row r : batch.select("path").collectAsList()) {
      String p = r.getString(0);
      if (InputFiles.isEventFile(p)) {
        paths.add(p);
      } else {
        messages.add("input file not read (not a JSON Lines name): " + p);
      }
    }
    paths.sort(null);
    files[0] = paths.size();
    return RawLines.read(spark, paths);
  }

  private RunRecord log(Lake lake, String runId, Instant started, long files, PipelineRun.Outcome outcome,
      List<String> messages, StageTimer timer, CurrentDimensions.Loaded ref) {
    IngestResult result = outcome.result();
    Map<String, Long> versions = new LinkedHashMap<>(outcome.tableVersions());
    RunRecord record = new RunRecord(runId, "stream", outcome.succeeded() ? "SUCCEEDED" : "FAILED", started,
        Instant.now(), inputLabel(result), null, null, files, result, messages, timer.ordered(), versions,
        outcome.error(), null, ref.fingerprint());
    new OpsLog(lake).append(record);
    return record;
  }

  /** The source and, per Kafka partition or file, the offsets or lines read: "kafka:t/0 [120..239]". */
  private String inputLabel(IngestResult result) {
    String spans = result == null ? "" : result.sources().entrySet().stream()
        .map(e -> e.getKey() + " [" + e.getValue().first() + ".." + e.getValue().last() + "]")
        .limit(50).collect(Collectors.joining(", "));
    return settings.describeSource() + (spans.isEmpty() ? "" : ": " + spans);
  }
}
