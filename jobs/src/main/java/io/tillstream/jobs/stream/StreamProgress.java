package io.tillstream.jobs.stream;

import io.tillstream.dims.CurrentDimensions;
import io.tillstream.jobs.metrics.KafkaLag;
import io.tillstream.jobs.metrics.PipelineMetrics;
import io.tillstream.quality.Severity;
import io.tillstream.run.IngestResult;
import io.tillstream.run.RunRecord;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * One readable line per micro-batch of the ingest query: records in, records/s, batch duration, Kafka lag,
 * and what the pipeline made of the records. Also keeps running totals for the final summary, and feeds the
 * stream's metrics: every logged run, the Kafka lag per partition, freshness and reference data reloads.
 */
final class StreamProgress extends StreamingQueryListener {
  private final String queryName;
  private final PrintStream out;
  private final PipelineMetrics metrics;
  private final Map<String, Severity> severities;
  private final Map<Long, RunRecord> runs = new ConcurrentHashMap<>();
  private final Map<Long, Long> alertsSent = new ConcurrentHashMap<>();
  final AtomicLong batches = new AtomicLong();
  /** Open once the ingest query reported its first trigger (a micro-batch, or a look that found nothing new). */
  final java.util.concurrent.CountDownLatch firstTrigger = new java.util.concurrent.CountDownLatch(1);

  /**
   * Whether the ingest query's first trigger is still running: what a start could do beside it (pending gold, table
   * gauges, the real-time alert query) waits, so that a restart's first micro-batch has the cores.
   */
  boolean beforeFirstTrigger() {
    return firstTrigger.getCount() > 0;
  }
  final AtomicLong read = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong quarantined = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();

  StreamProgress(String queryName, PrintStream out, PipelineMetrics metrics, Map<String, Severity> severities) {
    this.queryName = queryName;
    this.out = out;
    this.metrics = metrics;
    this.severities = severities;
  }

  /** Says, before a micro-batch runs, that it uses newly reloaded reference data or why a change was refused. */
  void referenceData(long batchId, CurrentDimensions.Check check) {
    if (check.reloaded()) {
      metrics.referenceDataLoaded(Instant.now(), true);
      out.println("stream: reference data reloaded for micro-batch " + batchId + ": " + check.inUse().fingerprint());
    }
    check.warnings().forEach(w -> out.println("stream: warning (micro-batch " + batchId + "): " + w));
    out.flush();
  }

  /** Called by the micro-batch itself, before Spark reports its progress. */
  void record(long batchId, RunRecord record, long alerts) {
    metrics.recordRun(record, severities);
    runs.put(batchId, record);
    alertsSent.put(batchId, alerts);
    IngestResult r = record.result();
    if (r != null) {
      batches.incrementAndGet();
      read.addAndGet(r.read());
      accepted.addAndGet(r.accepted());
      quarantined.addAndGet(r.quarantined());
      duplicates.addAndGet(r.duplicates());
    }
  }

  /** A gold refresh between micro-batches, logged as a run of the stream. */
  void goldRefreshed(RunRecord record) {
    metrics.recordRun(record, severities);
  }

  /**
   * The freshness of a micro-batch committed at {@code committed}: its oldest Kafka record's timestamp and its newest
   * event time (either null when unknown).
   */
  void freshness(Instant oldestKafkaTime, Instant newestEventTime, Instant committed) {
    if (oldestKafkaTime != null) {
      metrics.freshness("kafka_time", oldestKafkaTime, committed);
    }
    if (newestEventTime != null) {
      metrics.freshness("event_time", newestEventTime, committed);
    }
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    var p = event.progress();
    if (!queryName.equals(p.name())) {
      return;
    }
    firstTrigger.countDown();
    for (SourceProgress source : p.sources()) {
      KafkaLag.of(source.endOffset(), source.latestOffset())
          .forEach(l -> metrics.kafkaLag(l.topic(), l.partition(), l.records()));
    }
    RunRecord record = runs.remove(p.batchId());
    if (record == null) {
      return;
    }
    long alerts = alertsSent.getOrDefault(p.batchId(), 0L);
    alertsSent.remove(p.batchId());
    out.println(line(p.batchId(), record, p.batchDuration(), lag(p.sources()), alerts));
    out.flush();
  }

  static String line(long batchId, RunRecord record, long durationMs, String lag, long alerts) {
    IngestResult r = record.result();
    long in = r == null ? 0 : r.read();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("stream batch %d: %d records in %.1f s (%.0f records/s)", batchId, in,
        durationMs / 1000.0, durationMs == 0 ? 0.0 : in * 1000.0 / durationMs));
    if (lag != null) {
      sb.append(", kafka lag ").append(lag);
    }
    if (r != null) {
      sb.append(String.format(" | accepted %d, quarantined %d, duplicates %d", r.accepted(), r.quarantined(),
          r.duplicates()));
      if (r.dropped() + r.outOfRange() > 0) {
        sb.append(String.format(", dropped %d, out of range %d", r.dropped(), r.outOfRange()));
      }
      if (!r.touchedDates().isEmpty()) {
        sb.append(" | dates ").append(r.touchedDates().first()).append("..").append(r.touchedDates().last());
      }
      if (!r.touchedDates().isEmpty() && record.stageMillis() != null
          && !record.stageMillis().containsKey("gold daily_sales")) {
        sb.append(" | gold deferred");
      }
    }
    if (alerts > 0) {
      sb.append(" | alerts ").append(alerts);
    }
    sb.append(" | ").append(record.status());
    if (record.error() != null) {
      sb.append(": ").append(record.error());
    }
    return sb.toString();
  }

  /** Records the Kafka source is behind the latest offsets after this batch, or null for the file source. */
  private static String lag(SourceProgress[] sources) {
    for (SourceProgress s : sources) {
      String max = s.metrics().get("maxOffsetsBehindLatest");
      if (max != null) {
        String avg = s.metrics().get("avgOffsetsBehindLatest");
        return max + " (max per partition" + (avg == null ? "" : ", avg " + avg) + ")";
      }
    }
    return null;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}
}
