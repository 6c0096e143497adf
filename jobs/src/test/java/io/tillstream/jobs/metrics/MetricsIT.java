package io.tillstream.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tillstream.jobs.Main;
import io.tillstream.jobs.kafka.PublishCommand;
import io.tillstream.jobs.testing.KafkaBroker;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring path for real: a Kafka broker, the stream with its metrics endpoint, a batch run handing its
 * metrics over through node_exporter's textfile collector, and Prometheus (scripts/prometheus, Debian's package)
 * scraping both with conf/prometheus/prometheus.yml. What Prometheus answers must equal ops.runs; every query of
 * the Grafana dashboard must return data; the alert rules pass promtool's tests.
 */
class MetricsIT {
  static final Path HOME = Paths.get("..").toAbsolutePath().normalize();
  static final Path SAMPLES = HOME.resolve("data-samples");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path work;
  static KafkaBroker broker;

  @BeforeAll
  static void startBrokerAndPrometheus() throws Exception {
    broker = KafkaBroker.start(work.resolve("kafka"));
    Process p = new ProcessBuilder(HOME.resolve("scripts/prometheus").toString(), "start", "--dir",
        work.resolve("prometheus").toString(), "--textfile-dir", work.resolve("textfile").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, out);
  }

  @AfterAll
  static void stopAll() throws Exception {
    new ProcessBuilder(HOME.resolve("scripts/prometheus").toString(), "stop", "--dir",
        work.resolve("prometheus").toString()).inheritIO().start().waitFor(1, TimeUnit.MINUTES);
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void alertRulesPassPromtoolAndEveryAlertIsTested() throws Exception {
    Path conf = HOME.resolve("conf/prometheus");
    assertEquals("", promtool(conf, "check", "config", "prometheus.yml"));
    assertEquals("", promtool(conf, "test", "rules", "tillstream-rules.test.yml"));
    TreeSet<String> alerts = names(Files.readString(conf.resolve("tillstream-rules.yml")), "- alert: (\\w+)");
    TreeSet<String> tested = names(Files.readString(conf.resolve("tillstream-rules.test.yml")),
        "alertname: (\\w+)\\s+exp_alerts:\\s+- exp_labels");
    assertEquals(9, alerts.size(), alerts.toString());
    assertEquals(alerts, tested, "every alert must fire in at least one promtool test");
  }

  @Test
  void streamAndBatchMetricsEqualOpsRunsInPrometheusAndEveryDashboardQueryReturnsData() throws Exception {
    try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic("sales", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
    Path lake = work.resolve("stream-lake");
    Process stream = startStream(lake);
    try {
      // The hand-crafted bad records first, the generated ones in a later micro-batch: counters that grow.
      publish("handcrafted.jsonl");
      awaitValue("sum(tillstream_records_read_total{job=\"stream\"})", v -> v == 10, stream);
      publish("generated.jsonl");
      awaitValue("sum(tillstream_records_read_total{job=\"stream\"})", v -> v == 310, stream);
      awaitValue("sum(tillstream_table_rows{table=\"silver.sales_lines\"})", v -> v > 0, stream);
      awaitValue("count(metrics_tillstream_driver_spark_streaming_tillstream_ingest_processingRate_total_Value)",
          v -> v > 0, stream);

      SparkSession spark = SparkTestSession.get();
      Row ops = new Lake(spark, lake.toString()).read(Table.OPS_RUNS).filter("job = 'stream'")
          .selectExpr("sum(read)", "sum(accepted)", "sum(quarantined)", "sum(duplicates)", "count(*)").head();
      assertEquals(310, ops.getLong(0));
      assertEquals(ops.getLong(0), value("sum(tillstream_records_read_total{job=\"stream\"})"));
      assertEquals(ops.getLong(1), value("sum(tillstream_records_total{job=\"stream\",outcome=\"accepted\"})"));
      assertEquals(ops.getLong(3), value("sum(tillstream_records_total{job=\"stream\",outcome=\"duplicate\"})"));
      assertEquals(rejectedByRule(spark, lake, "stream"), byRule("stream"));
      assertTrue(value("sum(tillstream_runs_total{job=\"stream\",status=\"SUCCEEDED\"})") >= 2);
      assertEquals(1, value("tillstream_last_run_reconciled{job=\"stream\"}"));
      assertEquals(2, value("count(tillstream_kafka_lag_records{topic=\"sales\"})"), "lag of partitions 0 and 1");
      assertTrue(value("sum(tillstream_freshness_seconds_count{clock=\"kafka_time\"})") >= 2);
      assertTrue(value("sum(tillstream_freshness_seconds_count{clock=\"event_time\"})") >= 2);
      long silverRows = new Lake(spark, lake.toString()).read(Table.SILVER_SALES_LINES).count();
      awaitValue("sum(tillstream_table_rows{table=\"silver.sales_lines\"})", v -> v == silverRows, stream);

      // A batch run hands its metrics over through the textfile collector.
      Path batchLake = work.resolve("batch-lake");
      assertEquals(0, Main.run(new String[] {"batch", "--lake", batchLake.toString(), "--set",
          "metrics.textfile-dir=" + work.resolve("textfile")}, Map.of(), System.out, System.err));
      awaitValue("tillstream_last_run_succeeded{job=\"batch\"}", v -> v == 1, stream);
      Row batch = new Lake(spark, batchLake.toString()).read(Table.OPS_RUNS).filter("job = 'batch'")
          .selectExpr("read", "accepted", "unix_millis(finished_at) / 1000.0").head();
      assertEquals(batch.getLong(0), value("tillstream_records_read_total{job=\"batch\"}"));
      assertEquals(batch.getLong(1), value("sum(tillstream_records_total{job=\"batch\",outcome=\"accepted\"})"));
      assertEquals(rejectedByRule(spark, batchLake, "batch"), byRule("batch"));
      assertEquals(batch.getDecimal(2).doubleValue(),
          Double.parseDouble(first("tillstream_last_success_timestamp_seconds{job=\"batch\"}")), 0.001);

      // Every panel of the dashboard: each query answers with at least one series.
      List<String> empty = new ArrayList<>();
      for (String expr : DashboardTest.expressions(JSON.readTree(DashboardTest.DASHBOARD.toFile()))) {
        if (query(expr).isEmpty()) {
          empty.add(expr);
        }
      }
      assertEquals(List.of(), empty, "dashboard queries without data");
    } finally {
      stream.destroy();
      assertTrue(stream.waitFor(3, TimeUnit.MINUTES), "the stream did not stop on SIGTERM");
    }
    String err = Files.readString(work.resolve("stream.err"));
    assertTrue(err.contains("tillstream: metrics at http://127.0.0.1:9464/metrics"), err);
  }

  private static Process startStream(Path lake) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(HOME.resolve("scripts/tillstream").toString(), "stream", "--source",
        "kafka", "--bootstrap", broker.bootstrap(), "--topic", "sales", "--lake", lake.toString(), "--trigger", "2s",
        "--set", "stream.alerts.enabled=false", "--set", "spark.sql.shuffle.partitions=2", "--set",
        "spark.master=local[2]")
        .redirectOutput(work.resolve("stream.out").toFile()).redirectError(work.resolve("stream.err").toFile());
    pb.environment().put("TILLSTREAM_PII_KEY", "metrics-it-key-0123456789");
    pb.environment().remove("TILLSTREAM_PII_KEY_ID");
    pb.environment().put("TILLSTREAM_JAVA_OPTS", "-Xmx2g -XX:+UseParallelGC -XX:TieredStopAtLevel=1");
    return pb.start();
  }

  private static void publish(String file) throws Exception {
    PublishCommand.send(List.of(SAMPLES.resolve("events").resolve(file).toString()), broker.bootstrap(), "sales", 0,
        new PrintStream(new ByteArrayOutputStream()));
  }

  /** Records rejected per rule in the job's ops.runs rows. */
  private static Map<String, Long> rejectedByRule(SparkSession spark, Path lake, String job) {
    Map<String, Long> byRule = new TreeMap<>();
    for (Row r : new Lake(spark, lake.toString()).read(Table.OPS_RUNS).filter("job = '" + job + "'")
        .selectExpr("explode(rejected_by_rule)").groupBy("key").sum("value").collectAsList()) {
      byRule.put(r.getString(0), r.getLong(1));
    }
    return byRule;
  }

  /** Quarantined and dropped records per rule, as Prometheus has them. */
  private static Map<String, Long> byRule(String job) throws Exception {
    Map<String, Long> byRule = new TreeMap<>();
    for (JsonNode s : query("sum by (rule) (tillstream_records_total{job=\"" + job
        + "\",outcome=~\"quarantined|dropped\"})")) {
      byRule.put(s.path("metric").path("rule").asText(), (long) Double.parseDouble(s.path("value").path(1).asText()));
    }
    return byRule;
  }

  private static void awaitValue(String expr, DoublePredicate wanted, Process stream) throws Exception {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      assertTrue(stream.isAlive(), "the stream ended: " + Files.readString(work.resolve("stream.err")));
      last = first(expr);
      if (last != null && wanted.test(Double.parseDouble(last))) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(expr + " = " + last + " after 4 minutes\n" + Files.readString(work.resolve("stream.out")));
  }

  private static long value(String expr) throws Exception {
    String v = first(expr);
    assertFalse(v == null, expr + ": no data");
    return Math.round(Double.parseDouble(v));
  }

  private static String first(String expr) throws Exception {
    List<JsonNode> result = query(expr);
    return result.isEmpty() ? null : result.get(0).path("value").path(1).asText();
  }

  static List<JsonNode> query(String expr) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9090/api/v1/query?query="
        + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("success", body.path("status").asText(), expr + ": " + r.body());
    List<JsonNode> result = new ArrayList<>();
    body.path("data").path("result").forEach(result::add);
    return result;
  }

  private static String promtool(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("promtool"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 ? "" : out;
  }

  private static TreeSet<String> names(String text, String regex) {
    TreeSet<String> names = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
