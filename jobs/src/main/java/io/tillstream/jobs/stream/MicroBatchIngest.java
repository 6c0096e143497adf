package io.tillstream.jobs.stream;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.tillstream.config.ConfigKeys;
import io.tillstream.dims.CurrentDimensions;
import io.tillstream.ingest.InputFiles;
import io.tillstream.ingest.KafkaRecords;
import io.tillstream.ingest.RawLines;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Observed;
import io.tillstream.lake.SparkSessions;
import io.tillstream.lake.Table;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.privacy.PiiKey;
import io.tillstream.run.DailySalesKeeper;
import io.tillstream.run.GoldRefresh;
import io.tillstream.run.IngestResult;
import io.tillstream.run.IngestRun;
import io.tillstream.run.OpsLog;
import io.tillstream.run.PipelineContexts;
import io.tillstream.run.PipelineRun;
import io.tillstream.run.RunFailure;
import io.tillstream.run.RunRecord;
import io.tillstream.run.RunSpec;
import io.tillstream.run.StageTimer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The streaming job's foreachBatch: one micro-batch is one run of the same {@link PipelineRun} the batch job
 * calls, its commits marked with (query id, batch id) ({@link Lake#idempotently}), so a micro-batch replayed after a
 * crash commits nothing twice. A micro-batch that follows one this instance committed cannot be a repeat: it
 * appends bronze and quarantine (unless {@link StreamRawWrites} says to insert by key) and skips the repeat
 * check, and so does the first one after a clean stop ({@link IngestCheckpoint}); the first one after a crash, or
 * one tried before, inserts by key and checks. With a gold interval, gold
 * is left to the gold thread ({@link #flushGold}). Every micro-batch logs one ops.runs row (job "stream") with the
 * Kafka offsets or files it read and the fingerprint of the reference data it used, checked for changes before
 * each micro-batch.
 */
final class MicroBatchIngest implements VoidFunction2<Dataset<Row>, Long> {
  private static final Logger LOG = LogManager.getLogger(MicroBatchIngest.class);
  private final StreamSettings settings;
  private final CurrentDimensions dims;
  private final PiiKey key;
  private final AlertTopic alerts;
  private final boolean realTimeAlerts;
  private final StreamProgress progress;
  private final StopGate gate;
  private final GoldCadence cadence;
  private final IngestRun.RawWrites rawWrites;
  /** Held by a gold refresh outside the micro-batches: one such refresh per cadence at a time. */
  private final Map<GoldCadence.Tier, ReentrantLock> goldWriting = new EnumMap<>(Map.of(
      GoldCadence.Tier.DAILY_SALES, new ReentrantLock(), GoldCadence.Tier.OTHERS, new ReentrantLock()));
  /** Keeps gold.daily_sales by adding between the daily sales cadence's refreshes (its gold thread only). */
  private final DailySalesKeeper dailySales = new DailySalesKeeper();
  /** The latest micro-batch this instance committed, and the latest it tried (Long.MIN_VALUE: none yet). */
  private long lastCommitted = Long.MIN_VALUE;
  private long lastTried = Long.MIN_VALUE;
  /**
   * A micro-batch that follows one of this many records or more runs compiled: a stream catching up reads full
   * micro-batches, where compiling pays (1M drain at 200,000 a micro-batch: 3,116 events/s compiled, 2,491
   * interpreted, docs/benchmarks.md); small ones stay interpreted (StreamCommand). About 47 MB of events as generated,
   * near where the batch job starts compiling (SparkSessions.INTERPRET_BELOW_BYTES).
   */
  static final long COMPILE_AFTER_RECORDS = 100_000;
  /** No spark.sql.codegen.* setting was given: the micro-batch's size decides (see COMPILE_AFTER_RECORDS). */
  private final boolean codegenBySize;
  /** Records the last committed micro-batch read. */
  private volatile long lastRead;

  /** {@code realTimeAlerts}: the real-time query sends large_order alerts; this one sends the rest. */
  MicroBatchIngest(StreamSettings settings, CurrentDimensions dims, PiiKey key, AlertTopic alerts,
      boolean realTimeAlerts, StreamProgress progress, StopGate gate, GoldCadence cadence,
      IngestRun.RawWrites rawWrites, java.util.OptionalLong settledBatch) {
    this.rawWrites = rawWrites;
    // A start after a clean stop: the next micro-batch was never attempted (IngestCheckpoint).
    settledBatch.ifPresent(b -> {
      lastCommitted = b;
      lastTried = b;
    });
    this.settings = settings;
    this.dims = dims;
    this.key = key;
    this.alerts = alerts;
    this.realTimeAlerts = realTimeAlerts;
    this.progress = progress;
    this.gate = gate;
    this.cadence = cadence;
    this.codegenBySize = !SparkSessions.codegenChosen(settings.config().sparkSettings());
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) throws InterruptedException {
    gate.enter();
    try {
      if (codegenBySize && lastRead >= COMPILE_AFTER_RECORDS) {
        SparkSessions.compiling(batch.sparkSession(), () -> {
          ingest(batch, batchId);
          return null;
        });
      } else {
        ingest(batch, batchId);
      }
    } finally {
      gate.exit();
    }
  }

  /**
   * Refreshes {@code tier}'s gold tables for the days the micro-batches left pending for it, when its cadence says
   * it is due, outside the micro-batches: that tier's gold thread calls it. {@code spark} is a session of the
   * caller's own (Delta's commit marks live in session settings). Returns the days refreshed.
   */
  SortedSet<LocalDate> flushGold(SparkSession spark, GoldCadence.Tier tier) {
    ReentrantLock lock = goldWriting.get(tier);
    if (!lock.tryLock()) {
      return new TreeSet<>(); // another refresh of this tier is running
    }
    try {
      long start = System.currentTimeMillis();
      GoldCadence.Pending due = cadence.dueNow(tier, start);
      if (due.days().isEmpty()) {
        return due.days();
      }
      refreshGold(spark, due.days(), tier.tables);
      // The interval counts from the end of this refresh: gold leaves the micro-batches the CPU in between.
      cadence.refreshed(tier, due, start, System.currentTimeMillis());
      return due.days();
    } finally {
      lock.unlock();
    }
  }

  /**
   * At the start, before the gold threads: refreshes every gold table for the days either cadence left pending
   * (what a stopped or crashed run left). Returns those days.
   */
  SortedSet<LocalDate> flushPendingGold(SparkSession spark) {
    Map<GoldCadence.Tier, GoldCadence.Pending> pending = new EnumMap<>(GoldCadence.Tier.class);
    SortedSet<LocalDate> days = new TreeSet<>();
    for (GoldCadence.Tier t : GoldCadence.Tier.values()) {
      pending.put(t, cadence.pending(t));
      days.addAll(pending.get(t).days());
    }
    if (!days.isEmpty()) {
      refreshGold(spark, days, GoldRefresh.Tables.ALL);
    }
    // A cadence with nothing pending keeps its first look right after the start.
    pending.forEach((t, done) -> {
      if (!done.days().isEmpty()) {
        cadence.refreshed(t, done, System.currentTimeMillis());
      }
    });
    return days;
  }

  /**
   * One gold refresh outside the micro-batches, with its ops.runs row (no records read). Daily sales alone may be
   * kept by adding the lines silver gained ({@code stream.gold-daily-sales-by-adding}; it also refreshes the days
   * other writers added lines to); otherwise the pending days are recomputed from silver.
   */
  private void refreshGold(SparkSession spark, SortedSet<LocalDate> pending, GoldRefresh.Tables tables) {
    Lake lake = new Lake(spark, settings.lake());
    StageTimer timer = new StageTimer();
    Instant started = Instant.now();
    SortedSet<LocalDate> days = pending;
    Map<String, Long> versions;
    if (tables == GoldRefresh.Tables.DAILY_SALES
        && settings.config().get(ConfigKeys.STREAM_GOLD_DAILY_SALES_BY_ADDING)) {
      DailySalesKeeper.Refreshed done = timer.time("gold " + Table.GOLD_DAILY_SALES.tableName(),
          () -> dailySales.refresh(lake, pending, timer));
      days = done.days();
      versions = done.versions();
      if (settings.config().get(ConfigKeys.GOLD_PUBLISH_PARQUET)) {
        timer.time("publish parquet", () -> lake.publishParquet(Table.GOLD_DAILY_SALES));
      }
    } else {
      versions = new GoldRefresh(lake, timer).refresh(pending,
          PipelineContexts.suspiciousRules(settings.config()), settings.config().get(ConfigKeys.DEDUP_HORIZON_DAYS),
          settings.config().get(ConfigKeys.GOLD_PUBLISH_PARQUET), newAlerts(lake, timer, new long[1]), tables);
    }
    if (days.isEmpty()) {
      return;
    }
    // Named by its tables too: the two gold threads may start a refresh in the same millisecond.
    String which = tables.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    RunRecord record = RunRecord.of("stream-gold-" + which + "-" + started.toEpochMilli(), "stream", started)
        .input("gold refresh (" + which + ") of " + days.size() + " pending day(s)").dates(days.first(), days.last())
        .stages(timer.ordered()).versions(versions).referenceData(dims.inUse().fingerprint()).finishedNow();
    new OpsLog(lake).append(record);
    progress.goldRefreshed(record);
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
    Observation times = measuresFreshness() ? new Observation("freshness") : null;
    Dataset<Row> raw = timer.time("read source", () -> rawRecords(spark, batch, messages, files, times));
    PipelineContext ctx = timer.time("prepare", () -> PipelineContexts.build(spark, settings.config(), ref.dims(), key,
        started, null, null));
    long[] alertsSent = {0};
    Consumer<Dataset<Row>> newAlerts = newAlerts(lake, timer, alertsSent);
    // Only a micro-batch right after one this instance committed, and never tried before, cannot be a repeat.
    boolean mayRepeat = !(batchId == lastCommitted + 1 && batchId > lastTried);
    lastTried = Math.max(lastTried, batchId);
    RunSpec run = RunSpec.of(runId, Timestamp.from(started), ctx, settings.config(), timer)
        .writing(mayRepeat ? IngestRun.RawWrites.INSERT_NEW : rawWrites).alerting(newAlerts)
        .refreshingGold(touched -> cadence.due(batchId, touched));
    // Every Delta commit of a successful micro-batch, its ops row included, carries (query id, batch id); a
    // failed attempt logs its ops row outside, so the attempt that finally succeeds still logs its own.
    PipelineRun.Outcome outcome;
    try {
      outcome = lake.idempotently("tillstream-stream-" + queryId, batchId, mayRepeat, () -> {
        PipelineRun.Outcome o = PipelineRun.execute(lake, raw, run);
        if (o.succeeded()) {
          progress.record(batchId, log(lake, runId, started, files[0], o, messages, timer, ref), alertsSent[0]);
        }
        return o;
      });
    } catch (RuntimeException e) {
      log(lake, runId, started, files[0], new PipelineRun.Outcome(null, Map.of(), e.toString()), messages, timer,
          ref);
      throw e;
    }
    if (!outcome.succeeded()) {
      progress.record(batchId, log(lake, runId, started, files[0], outcome, messages, timer, ref), alertsSent[0]);
      throw new RunFailure("micro-batch " + batchId + " failed: " + outcome.error());
    }
    lastCommitted = batchId;
    lastRead = outcome.result() == null ? 0 : outcome.result().read();
    if (times != null) {
      measureFreshness(times, Instant.now());
    }
  }

  /** With the metrics endpoint on and a Kafka source, each micro-batch feeds the freshness histogram. */
  private boolean measuresFreshness() {
    return settings.source() == StreamSettings.Source.KAFKA && settings.config().get(ConfigKeys.METRICS_PORT) != 0;
  }

  /**
   * The micro-batch's oldest Kafka record time and newest event time (its top-level event_time field), observed
   * while the micro-batch was parsed (no read of its own), for the freshness histogram.
   */
  private void measureFreshness(Observation observed, Instant committed) {
    Row times = Observed.row(observed, java.time.Duration.ofSeconds(30)).orElse(null);
    if (times == null) {
      LOG.warn("no freshness sample for this micro-batch: its observed times did not arrive");
      return;
    }
    progress.freshness(times.isNullAt(0) ? null : times.getTimestamp(0).toInstant(),
        times.isNullAt(1) ? null : times.getTimestamp(1).toInstant(), committed);
  }

  private Dataset<Row> rawRecords(SparkSession spark, Dataset<Row> batch, List<String> messages, long[] files,
      Observation times) {
    if (settings.source() == StreamSettings.Source.KAFKA) {
      return KafkaRecords.asRaw(times == null ? batch : batch.observe(times, min("timestamp"),
          max(expr("try_cast(get_json_object(CAST(value AS STRING), '$.event_time') AS TIMESTAMP)"))));
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
    RunRecord record = RunRecord.of(runId, "stream", started).status(outcome.succeeded() ? "SUCCEEDED" : "FAILED")
        .input(inputLabel(result)).filesRead(files).result(result).messages(messages).stages(timer.ordered())
        .versions(versions).error(outcome.error()).referenceData(ref.fingerprint()).finishedNow();
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
