package io.tillstream.jobs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.Main;
import io.tillstream.jobs.kafka.PublishCommand;
import io.tillstream.jobs.testing.KafkaBroker;
import io.tillstream.jobs.tools.MaintainCommand;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.Table;
import io.tillstream.lake.TableMaintenance;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job over a real Kafka broker, in its own JVM through scripts/tillstream: killed with SIGKILL at a
 * random moment and restarted, the broker stopped and restarted under it, stopped with SIGTERM, then drained
 * with available-now. Its tables must equal one batch run over the same events, and the alert topic must carry
 * exactly the suspicious transactions the batch finds.
 *
 * <p>maintain (OPTIMIZE and VACUUM with a one-hour window) runs twice beside the last continuous stream, in this
 * JVM, while it commits micro-batches into the same lake (formerly MaintainWhileStreamingIT, which ran a file
 * stream of its own for this): the stream must keep going with every micro-batch SUCCEEDED, the tables must still
 * equal the batch run, the small files are compacted and time travel to the versions before each OPTIMIZE still
 * reads.
 */
class StreamKafkaIT {
  static final Path SAMPLES = Paths.get("..", "data-samples").toAbsolutePath().normalize();
  static final Path SCRIPT = Paths.get("..", "scripts", "tillstream").toAbsolutePath().normalize();
  static final String KEY = "stream-it-key-0123456789";
  private static final Pattern BATCH_LINE = Pattern.compile("stream batch \\d+: (\\d+) records");
  private static final Pattern READ_TOTAL = Pattern.compile("micro-batches: read (\\d+),");

  @TempDir
  static Path work;
  static KafkaBroker broker;

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void streamSurvivesKillsABrokerRestartAndMaintenanceAndEqualsTheBatchRun() throws Exception {
    broker = KafkaBroker.start(work.resolve("kafka"));
    // One partition: the versions of an event id then arrive in publication order, as the batch reads them.
    try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic("sales", 1, (short) 1), new NewTopic("alerts", 1, (short) 1)))
          .all().get(60, TimeUnit.SECONDS);
    }
    Path lake = work.resolve("stream-lake");
    PublishCommand.send(List.of(SAMPLES.resolve("events").toString()), broker.bootstrap(), "sales", 0,
        new PrintStream(new ByteArrayOutputStream()));

    // -Dstreamkafka.seed=N replays a failing run's kill timings (the seed is in every failure message).
    long seed = Long.getLong("streamkafka.seed", System.nanoTime());
    Random random = new Random(seed);
    List<String> log = new ArrayList<>();
    int kills = 1; // ChaosIT (scripts/chaos) kills it many more times
    Process stream = startStream(lake, "2s", 0);
    // The reference: one batch run over the same events, in this JVM while the stream runs (joined before the
    // comparison below).
    SparkSession spark = SparkTestSession.get();
    Path batchLake = work.resolve("batch-lake");
    CompletableFuture<Integer> reference = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"batch",
        "--input", SAMPLES.resolve("events").toString(), "--input", SAMPLES.resolve("incremental").toString(),
        "--dims", SAMPLES.resolve("dims").toString(), "--lake", batchLake.toString()},
        Map.of("TILLSTREAM_PII_KEY", KEY), System.out, System.err));
    try {
      for (int kill = 1; kill <= kills; kill++) {
        Thread.sleep(8000 + random.nextInt(25000));
        stream.destroyForcibly().waitFor();
        log.add("kill " + kill);
        stream = startStream(lake, "2s", kill);
      }
      long lastStarted = System.nanoTime();
      Path lastOut = work.resolve("stream-" + kills + ".out");
      // Maintenance beside the running stream: first once a micro-batch is in the lake, compaction of the tables the
      // stream MERGEs into and replaces partitions of; then, once the stream has read events published after the
      // broker restart (it keeps running micro-batches), every table with VACUUM.
      waitForCommittedRecords(kills, stream);
      Lake streamed = new Lake(spark, lake.toString());
      List<MaintainCommand.Outcome> rounds = new ArrayList<>();
      rounds.add(maintain(streamed, List.of(Table.SILVER_SALES_LINES, Table.GOLD_DAILY_SALES), false));
      assertTrue(stream.isAlive(), "the stream died during maintenance:\n" + output("stream-" + kills));
      // The broker restarts under a stream that has been running for at least 8 s.
      Thread.sleep(Math.max(0, 8000 - (System.nanoTime() - lastStarted) / 1_000_000));
      broker.restart();
      log.add("broker restarted");
      long batchesBefore = microBatches(lastOut);
      PublishCommand.send(List.of(SAMPLES.resolve("incremental").toString()), broker.bootstrap(), "sales", 0,
          new PrintStream(new ByteArrayOutputStream()));
      // The stream reads from the restarted broker: a micro-batch that read records completes after the restart.
      for (int i = 0; i < 240 && microBatches(lastOut) == batchesBefore; i++) {
        Thread.sleep(500);
      }
      // Only then the second round: silver holds files from before and after the restart, so OPTIMIZE has files to
      // compact (run before that micro-batch, it found one file and compacted nothing, and the check below failed).
      rounds.add(maintain(streamed, List.of(Table.values()), true));
      assertTrue(stream.isAlive(), "the stream died during maintenance:\n" + output("stream-" + kills));
      log.add("micro-batches with records before the restart " + batchesBefore + ", at SIGTERM "
          + microBatches(lastOut));
      stream.destroy(); // SIGTERM: the running micro-batch finishes, then the job stops with exit 0
      assertTrue(stream.waitFor(3, TimeUnit.MINUTES), "the stream did not stop on SIGTERM (seed " + seed + " "
          + log + "):\n" + output("stream-" + kills));
      String lastRun = output("stream-" + kills);
      assertEquals(0, stream.exitValue(), "seed " + seed + " " + log + "\n" + lastRun);
      assertTrue(lastRun.contains("stream: stopped after"), lastRun);
      assertTrue(lastRun.contains("stream gold: refreshed daily_sales"), "the daily sales thread ran:\n" + lastRun);
      System.out.println("conflicting commits repeated by the stream: " + lastRun.lines()
          .filter(l -> l.contains("commit conflict")).count() + ", by maintain: " + rounds.stream()
          .flatMap(o -> o.tables().stream()).mapToInt(TableMaintenance.Report::conflictsRetried).sum());

      // available-now reads exactly what the stopped stream left (nothing, if it had read every offset): the
      // micro-batch running at SIGTERM was committed whole, none is replayed.
      long readBeforeDrain = streamed.read(Table.OPS_RUNS).filter("job = 'stream' AND status = 'SUCCEEDED'")
          .selectExpr("coalesce(sum(read), 0)").head().getLong(0);
      Process drain = startStream(lake, "available-now", kills + 1);
      assertTrue(drain.waitFor(5, TimeUnit.MINUTES), "available-now did not finish:\n" + output("stream-" + (kills + 1)));
      String drained = output("stream-" + (kills + 1));
      assertEquals(0, drain.exitValue(), drained);
      Matcher drainedTotal = READ_TOTAL.matcher(drained);
      assertTrue(drained.contains("stream: done after") && drainedTotal.find(), drained);
      assertEquals(315 - readBeforeDrain, Long.parseLong(drainedTotal.group(1)), "seed " + seed + " " + log + "\n"
          + drained);
      if (readBeforeDrain == 315) {
        assertTrue(drained.contains("stream: done after 0 micro-batches"), drained);
      }

      assertEquals(0, reference.get(10, TimeUnit.MINUTES), "the reference batch run");
      Lake batch = new Lake(spark, batchLake.toString());
      List<LakeComparison.TableDiff> diffs = LakeComparison.compare(batch, streamed, 10);
      assertTrue(diffs.stream().allMatch(LakeComparison.TableDiff::equal),
          "seed " + seed + " " + log + "\n" + LakeComparison.report(diffs, "batch", "stream+maintain"));
      // Zero loss and zero duplicates, in bronze too: every Kafka offset exactly once.
      Row offsets = streamed.read(Table.BRONZE_SALES_EVENTS)
          .selectExpr("count(*)", "count(DISTINCT source_line)", "min(source_line)", "max(source_line)").head();
      assertEquals(List.of(315L, 315L, 0L, 314L), List.of(offsets.getLong(0), offsets.getLong(1),
          offsets.getLong(2), offsets.getLong(3)));
      Dataset<Row> runs = streamed.read(Table.OPS_RUNS);
      assertEquals(315L, runs.filter("job = 'stream' AND status = 'SUCCEEDED'").selectExpr("sum(read)").head()
          .getLong(0), "every offset read by exactly one committed micro-batch");
      // No micro-batch failed, beside maintenance or otherwise (a SIGKILL leaves no row at all).
      assertEquals(0, runs.filter("job = 'stream' AND status <> 'SUCCEEDED'").count(), "failed micro-batches");
      assertEquals(315L, runs.filter("job = 'stream'").selectExpr("sum(read)").head().getLong(0));
      assertEquals(List.of("SUCCEEDED", "SUCCEEDED"), runs.filter("job = 'maintain'").orderBy("started_at")
          .select("status").as(Encoders.STRING()).collectAsList());

      Set<String> expected = new HashSet<>();
      batch.read(Table.GOLD_SUSPICIOUS_TRANSACTIONS).collectAsList()
          .forEach(r -> expected.add(r.getAs("rule_id") + ":" + r.getAs("event_id")));
      assertTrue(expected.size() >= 3, "the samples should fire several rules: " + expected);
      assertEquals(expected, alertIds(), "alerts on the topic (seed " + seed + ")");

      assertMaintained(spark, streamed, rounds);
    } finally {
      stream.destroyForcibly();
      reference.handle((code, failure) -> code).get(10, TimeUnit.MINUTES);
    }
  }

  /**
   * Compaction: fewer live files in silver than the stream wrote; no maintenance error; time travel to the version
   * before each OPTIMIZE (within the one-hour window, after VACUUM) reads the same rows as the OPTIMIZE's own.
   */
  private static void assertMaintained(SparkSession spark, Lake lake, List<MaintainCommand.Outcome> rounds) {
    long live = new TableMaintenance(lake, Duration.ofHours(1), 1).liveFiles(Table.SILVER_SALES_LINES).count();
    List<Row> optimizes = io.delta.tables.DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(lake.root()))
        .history().filter("operation = 'OPTIMIZE'").select("version", "operationMetrics").collectAsList();
    assertTrue(optimizes.size() >= 1, "silver was never compacted");
    long addedByStream = io.delta.tables.DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(lake.root()))
        .history().filter("operation IN ('MERGE', 'WRITE', 'CREATE TABLE AS SELECT',"
            + " 'CREATE OR REPLACE TABLE AS SELECT')")
        .selectExpr("sum(CAST(coalesce(operationMetrics['numTargetFilesAdded'], operationMetrics['numFiles']) AS"
            + " BIGINT))").head().getLong(0);
    assertTrue(live < addedByStream, live + " live files of " + addedByStream + " the stream wrote");
    for (MaintainCommand.Outcome round : rounds) {
      round.tables().forEach(t -> assertNull(t.error(), t.toString()));
    }
    for (Row o : optimizes) {
      long v = o.getLong(0);
      Dataset<Row> before = lake.readVersion(Table.SILVER_SALES_LINES, v - 1);
      Dataset<Row> after = lake.readVersion(Table.SILVER_SALES_LINES, v);
      assertEquals(0, before.exceptAll(after).count() + after.exceptAll(before).count(), "version " + v);
      assertTrue(before.count() > 0);
    }
  }

  /** One maintenance round with a one-hour window, beside the stream. */
  private static MaintainCommand.Outcome maintain(Lake lake, List<Table> tables, boolean vacuum) {
    long started = System.nanoTime();
    MaintainCommand.Outcome o = MaintainCommand.execute(lake, tables, false, vacuum, Duration.ofHours(1), 5);
    System.out.println(MaintainCommand.report(o, "1h", false, vacuum));
    System.out.printf("StreamKafkaIT: maintain round in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
    return o;
  }

  /** Waits until one of the streams so far (0..last) committed a micro-batch that read records. */
  private static void waitForCommittedRecords(int last, Process stream) throws Exception {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
    while (System.currentTimeMillis() < deadline && stream.isAlive()) {
      for (int run = 0; run <= last; run++) {
        Matcher m = BATCH_LINE.matcher(Files.readString(work.resolve("stream-" + run + ".out")));
        while (m.find()) {
          if (Long.parseLong(m.group(1)) > 0) {
            return;
          }
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no micro-batch with records was committed:\n" + output("stream-" + last));
  }

  private static String output(String name) throws java.io.IOException {
    return Files.readString(work.resolve(name + ".out")) + Files.readString(work.resolve(name + ".err"));
  }

  /** Micro-batches the stream's output reports as having read records. */
  private static long microBatches(Path out) throws java.io.IOException {
    return Files.readString(out).lines().filter(l -> l.contains("stream batch") && !l.contains(": 0 records "))
        .count();
  }

  private Process startStream(Path lake, String trigger, int run) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "stream", "--source", "kafka", "--bootstrap",
        broker.bootstrap(), "--topic", "sales", "--lake", lake.toString(), "--trigger", trigger,
        "--set", "stream.kafka.max-offsets-per-trigger=60", "--set", "spark.sql.shuffle.partitions=2",
        "--set", "spark.master=local[2]",
        // Gold on its two threads through the kills, the broker restart and maintenance (the drain that ends the
        // test refreshes gold inside its micro-batches, the default, and other tests run the default continuously).
        "--set", "stream.gold-interval=3s", "--set", "stream.gold-others-interval=6s"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(work.resolve("stream-" + run + ".out").toFile())
        .redirectError(work.resolve("stream-" + run + ".err").toFile());
    pb.environment().put("TILLSTREAM_PII_KEY", KEY);
    pb.environment().remove("TILLSTREAM_PII_KEY_ID");
    pb.environment().put("TILLSTREAM_METRICS_PORT", "0"); // the metrics are MetricsIT's; no freshness read here
    // C1 only, as ScheduleIT and ClusterIT do: most of these JVMs live for seconds to a minute or two (one is
    // killed while starting), where C2 costs more CPU than it saves on 2 cores.
    pb.environment().put("TILLSTREAM_JAVA_OPTS", "-Xmx2g -XX:+UseParallelGC -XX:TieredStopAtLevel=1");
    return pb.start();
  }

  private Set<String> alertIds() {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrap());
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    Set<String> ids = new HashSet<>();
    Pattern alertId = Pattern.compile("\"alert_id\":\"([^\"]+)\"");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition("alerts", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofSeconds(2))) {
          Matcher m = alertId.matcher(r.value());
          assertTrue(m.find(), r.value());
          assertEquals(m.group(1), r.key());
          ids.add(m.group(1));
        }
      }
    }
    return ids;
  }
}
