package io.tillstream.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.quality.Severity;
import io.tillstream.run.IngestResult;
import io.tillstream.run.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineMetricsTest {
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void twoRunsAddUpByOutcomeAndRuleAndTheLastRunSetsTheGauges() {
    PipelineMetrics m = new PipelineMetrics();
    Map<String, Severity> severities = Map.of("unknown_store", Severity.QUARANTINE, "test_store", Severity.DROP);
    m.recordRun(run("SUCCEEDED", 100, 90, 6, 3, 1, Map.of("unknown_store", 6L, "test_store", 1L), START, 2500),
        severities);
    m.recordRun(run("FAILED", 10, 5, 5, 0, 0, Map.of("unknown_store", 4L, "test_store", 1L), START.plusSeconds(10),
        1200), severities);
    String text = m.text();
    assertLines(text,
        "tillstream_records_read_total{job=\"stream\"} 110.0",
        "tillstream_records_total{job=\"stream\",outcome=\"accepted\",rule=\"\"} 95.0",
        "tillstream_records_total{job=\"stream\",outcome=\"duplicate\",rule=\"\"} 3.0",
        "tillstream_records_total{job=\"stream\",outcome=\"quarantined\",rule=\"unknown_store\"} 10.0",
        "tillstream_records_total{job=\"stream\",outcome=\"dropped\",rule=\"test_store\"} 2.0",
        "tillstream_runs_total{job=\"stream\",status=\"SUCCEEDED\"} 1.0",
        "tillstream_runs_total{job=\"stream\",status=\"FAILED\"} 1.0",
        "tillstream_run_duration_seconds_count{job=\"stream\"} 2",
        "tillstream_run_duration_seconds_sum{job=\"stream\"} 3.7",
        "tillstream_run_duration_seconds_bucket{job=\"stream\",le=\"2.5\"} 2",
        "tillstream_run_duration_seconds_bucket{job=\"stream\",le=\"1.0\"} 0",
        "tillstream_stage_duration_seconds_sum{job=\"stream\",stage=\"write silver\"} 0.6",
        "tillstream_last_run_succeeded{job=\"stream\"} 0.0",
        "tillstream_last_success_timestamp_seconds{job=\"stream\"} 1.7961192025E9",
        "tillstream_last_run_timestamp_seconds{job=\"stream\"} 1.7961192112E9",
        "tillstream_last_run_reconciled{job=\"stream\"} 1.0",
        "tillstream_reconciliation_failures_total{job=\"stream\"} 0.0");
  }

  @Test
  void aRunThatDoesNotReconcileIsCountedAndFlagged() {
    PipelineMetrics m = new PipelineMetrics();
    m.recordRun(run("FAILED", 10, 5, 2, 0, 0, Map.of("unknown_store", 2L), START, 100), Map.of());
    assertLines(m.text(), "tillstream_last_run_reconciled{job=\"stream\"} 0.0",
        "tillstream_reconciliation_failures_total{job=\"stream\"} 1.0");
  }

  @Test
  void kafkaLagIsLatestMinusReadPerPartition() {
    List<KafkaLag.Partition> lag = KafkaLag.of("{\"sales\":{\"0\":120,\"1\":98}}",
        "{\"sales\":{\"0\":150,\"1\":98,\"2\":7}}");
    assertEquals(List.of(new KafkaLag.Partition("sales", 0, 30), new KafkaLag.Partition("sales", 1, 0)), lag);
    assertEquals(List.of(), KafkaLag.of(null, "{\"sales\":{\"0\":1}}"));
    PipelineMetrics m = new PipelineMetrics();
    lag.forEach(l -> m.kafkaLag(l.topic(), l.partition(), l.records()));
    assertLines(m.text(), "tillstream_kafka_lag_records{partition=\"0\",topic=\"sales\"} 30.0");
  }

  @Test
  void freshnessIsObservedFromTheRecordTimeToTheCommit() {
    PipelineMetrics m = new PipelineMetrics();
    m.freshness("kafka_time", START, START.plusSeconds(12));
    m.freshness("event_time", START, START.plusSeconds(4000));
    assertLines(m.text(), "tillstream_freshness_seconds_bucket{clock=\"kafka_time\",le=\"10.0\"} 0",
        "tillstream_freshness_seconds_bucket{clock=\"kafka_time\",le=\"15.0\"} 1",
        "tillstream_freshness_seconds_sum{clock=\"kafka_time\"} 12.0",
        "tillstream_freshness_seconds_bucket{clock=\"event_time\",le=\"3600.0\"} 0");
  }

  @Test
  void textfileIsReplacedWholeAndLeavesNoPartialFile() throws Exception {
    Path first = MetricsTextfile.write(dir.resolve("metrics"), "daily", "a 1\n");
    Path second = MetricsTextfile.write(dir.resolve("metrics"), "daily", "a 2\n");
    assertEquals(dir.resolve("metrics/tillstream_daily.prom"), second);
    assertEquals(first, second);
    assertEquals("a 2\n", Files.readString(second));
    try (var files = Files.list(dir.resolve("metrics"))) {
      assertEquals(List.of(second), files.toList());
    }
  }

  private static void assertLines(String text, String... lines) {
    for (String line : lines) {
      assertTrue(text.lines().anyMatch(line::equals), line + " not in:\n" + text);
    }
    assertFalse(text.isBlank());
  }

  private static RunRecord run(String status, long read, long accepted, long quarantined, long duplicates,
      long dropped, Map<String, Long> byRule, Instant started, long millis) {
    Map<String, Long> stages = new LinkedHashMap<>();
    stages.put("parse and check", millis / 2);
    stages.put("write silver", 300L);
    IngestResult r = new IngestResult(read, accepted, quarantined, duplicates, dropped, 0, accepted,
        new TreeMap<>(byRule), Map.of(), new TreeSet<>(List.of(LocalDate.of(2026, 11, 30))), Map.of(), List.of(),
        Map.of());
    return RunRecord.of("stream-x-" + status, "stream", started).status(status).input("kafka:sales").result(r)
        .stages(stages).referenceData("ref").finishedAt(started.plusMillis(millis));
  }
}
