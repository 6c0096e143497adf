package io.tillstream.jobs.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tillstream.quality.Severity;
import io.tillstream.run.IngestResult;
import io.tillstream.run.RunRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Tillstream's own metrics in the Prometheus data model, one registry per process: the stream serves it
 * ({@link MetricsEndpoint}), a short-lived run hands it over ({@link MetricsTextfile}). Names and labels are
 * documented in docs/operations.md; the runs of a job (a micro-batch for the stream) all feed the same series.
 */
public final class PipelineMetrics {
  /** Seconds from 50 ms to about 27 minutes: a micro-batch stage up to a long backfill day. */
  private static final double[] DURATION_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
  /** Seconds from 1 s to 6 hours: freshness of a keeping-up stream up to a stream catching up on a day. */
  private static final double[] FRESHNESS_BUCKETS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 21600};

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private final Counter recordsRead = Counter.builder().name("tillstream_records_read")
      .help("Records read from the source (files or Kafka), before any check").labelNames("job").register(registry);
  private final Counter records = Counter.builder().name("tillstream_records")
      .help("What became of the records read, by outcome (accepted, quarantined, duplicate, dropped, out_of_range);"
          + " quarantined and dropped records by the rule they broke (a record that broke two rules counts under both)")
      .labelNames("job", "outcome", "rule").register(registry);
  private final Counter qualityWarnings = Counter.builder().name("tillstream_quality_warnings")
      .help("Accepted records (unknown_sku: lines) with a warn-severity rule fired, by rule")
      .labelNames("job", "rule").register(registry);
  private final Counter runs = Counter.builder().name("tillstream_runs")
      .help("Runs by status (SUCCEEDED, FAILED); each stream micro-batch is one run").labelNames("job", "status")
      .register(registry);
  private final Counter reconciliationFailures = Counter.builder().name("tillstream_reconciliation_failures")
      .help("Runs whose counts did not reconcile (read != accepted + quarantined + duplicates + dropped +"
          + " out_of_range)").labelNames("job").register(registry);
  private final Histogram runDuration = Histogram.builder().name("tillstream_run_duration_seconds")
      .help("Duration of a run; for the stream, of one micro-batch").labelNames("job").classicOnly()
      .classicUpperBounds(DURATION_BUCKETS).register(registry);
  private final Histogram stageDuration = Histogram.builder().name("tillstream_stage_duration_seconds")
      .help("Duration of one stage of a run (parse and check, write silver, gold daily_sales, ...)")
      .labelNames("job", "stage").classicOnly().classicUpperBounds(DURATION_BUCKETS).register(registry);
  private final Gauge lastRun = Gauge.builder().name("tillstream_last_run_timestamp_seconds")
      .help("When the job's last run finished (Unix time)").labelNames("job").register(registry);
  private final Gauge lastRunSucceeded = Gauge.builder().name("tillstream_last_run_succeeded")
      .help("1 when the job's last run succeeded, 0 when it failed").labelNames("job").register(registry);
  private final Gauge lastRunReconciled = Gauge.builder().name("tillstream_last_run_reconciled")
      .help("1 when the job's last run that read records reconciled its counts, 0 when it did not")
      .labelNames("job").register(registry);
  private final Gauge lastSuccess = Gauge.builder().name("tillstream_last_success_timestamp_seconds")
      .help("When the job's last successful run finished (Unix time)").labelNames("job").register(registry);
  private final Histogram freshness = Histogram.builder().name("tillstream_freshness_seconds")
      .help("From a record's time to the commit of its micro-batch: clock kafka_time (the Kafka record's timestamp)"
          + " or event_time (the event's own time), observed per micro-batch for its oldest record")
      .labelNames("clock").classicOnly().classicUpperBounds(FRESHNESS_BUCKETS).register(registry);
  private final Gauge kafkaLag = Gauge.builder().name("tillstream_kafka_lag_records")
      .help("Records of a topic partition the stream has not read yet (latest offset minus the offset read to)")
      .labelNames("topic", "partition").register(registry);
  private final Gauge tableRows = Gauge.builder().name("tillstream_table_rows")
      .help("Rows of a lake table").labelNames("table").register(registry);
  private final Gauge tableFiles = Gauge.builder().name("tillstream_table_files")
      .help("Live data files of a lake table").labelNames("table").register(registry);
  private final Gauge tableBytes = Gauge.builder().name("tillstream_table_bytes")
      .help("Bytes of the live data files of a lake table").labelNames("table").register(registry);
  private final Gauge tableVersion = Gauge.builder().name("tillstream_table_version")
      .help("Latest Delta version of a lake table").labelNames("table").register(registry);
  private final Gauge referenceDataLoaded = Gauge.builder().name("tillstream_reference_data_loaded_timestamp_seconds")
      .help("When the reference data in use was loaded (Unix time)").register(registry);
  private final Counter referenceDataReloads = Counter.builder().name("tillstream_reference_data_reloads")
      .help("Reloads of changed reference data the stream took in").register(registry);

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Counts one logged run; {@code severities} tell a rule's rejected records quarantined from dropped. */
  public void recordRun(RunRecord run, Map<String, Severity> severities) {
    String job = run.job();
    boolean succeeded = "SUCCEEDED".equals(run.status());
    runs.labelValues(job, run.status()).inc();
    runDuration.labelValues(job).observe(seconds(run.finishedAt().toEpochMilli() - run.startedAt().toEpochMilli()));
    if (run.stageMillis() != null) {
      run.stageMillis().forEach((stage, ms) -> stageDuration.labelValues(job, stage).observe(seconds(ms)));
    }
    lastRun.labelValues(job).set(unixSeconds(run.finishedAt()));
    lastRunSucceeded.labelValues(job).set(succeeded ? 1 : 0);
    if (succeeded) {
      lastSuccess.labelValues(job).set(unixSeconds(run.finishedAt()));
    }
    IngestResult r = run.result();
    if (r == null || r.read() == 0 && r.quarantined() == 0 && r.accepted() == 0) {
      return; // a gold refresh or a maintenance run: no records
    }
    recordsRead.labelValues(job).inc(r.read());
    records.labelValues(job, "accepted", "").inc(r.accepted());
    records.labelValues(job, "duplicate", "").inc(r.duplicates());
    records.labelValues(job, "out_of_range", "").inc(r.outOfRange());
    r.rejectedByRule().forEach((rule, n) -> records.labelValues(job,
        severities.get(rule) == Severity.DROP ? "dropped" : "quarantined", rule).inc(n));
    r.warnings().forEach((rule, n) -> qualityWarnings.labelValues(job, rule).inc(n));
    lastRunReconciled.labelValues(job).set(r.reconciles() ? 1 : 0);
    reconciliationFailures.labelValues(job).inc(r.reconciles() ? 0 : 1); // at 0 until one fails, for increase()
  }

  /** A job's last success, known from ops.runs when this process's run did not succeed. */
  public void lastSuccess(String job, Instant finishedAt) {
    lastSuccess.labelValues(job).set(unixSeconds(finishedAt));
  }

  public void table(String table, long rows, long files, long bytes, long version) {
    tableRows.labelValues(table).set(rows);
    tableFiles.labelValues(table).set(files);
    tableBytes.labelValues(table).set(bytes);
    tableVersion.labelValues(table).set(version);
  }

  public void kafkaLag(String topic, int partition, long records) {
    kafkaLag.labelValues(topic, Integer.toString(partition)).set(records);
  }

  /** Freshness of a micro-batch committed at {@code committed} whose oldest record has time {@code recordTime}. */
  public void freshness(String clock, Instant recordTime, Instant committed) {
    freshness.labelValues(clock).observe(Math.max(0, seconds(committed.toEpochMilli() - recordTime.toEpochMilli())));
  }

  public void referenceDataLoaded(Instant at, boolean reload) {
    referenceDataLoaded.set(unixSeconds(at));
    if (reload) {
      referenceDataReloads.inc();
    }
  }

  /** The registry in the Prometheus text format (version 0.0.4), as /metrics serves it. */
  public String text() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static double seconds(long millis) {
    return millis / 1000.0;
  }

  private static double unixSeconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }
}
