package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.testing.KafkaBroker;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job over a real Kafka broker, in its own JVM through scripts/tillstream: killed with SIGKILL at
 * random moments and restarted, the broker stopped and restarted under it, stopped with SIGTERM, then drained
 * with available-now. Its tables must equal one batch run over the same events, and the alert topic must carry
 * exactly the suspicious transactions the batch finds.
 */
class StreamKafkaIT {
  static final Path SAMPLES = Paths.get("..", "data-samples").toAbsolutePath().normalize();
  static final Path SCRIPT = Paths.get("..", "scripts", "tillstream").toAbsolutePath().normalize();
  static final String KEY = "stream-it-key-0123456789";

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
  void streamSurvivesKillsAndABrokerRestartAndEqualsTheBatchRun() throws Exception {
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
    int kills = 2;
    Process stream = startStream(lake, "2s", 0);
    for (int kill = 1; kill <= kills; kill++) {
      Thread.sleep(8000 + random.nextInt(25000));
      stream.destroyForcibly().waitFor();
      log.add("kill " + kill);
      stream = startStream(lake, "2s", kill);
    }
    Path lastOut = work.resolve("stream-" + kills + ".out");
    Thread.sleep(8000);
    broker.restart();
    log.add("broker restarted");
    long batchesBefore = microBatches(lastOut);
    PublishCommand.send(List.of(SAMPLES.resolve("incremental").toString()), broker.bootstrap(), "sales", 0,
        new PrintStream(new ByteArrayOutputStream()));
    // The stream reads from the restarted broker: a micro-batch that read records completes after the restart.
    for (int i = 0; i < 240 && microBatches(lastOut) == batchesBefore; i++) {
      Thread.sleep(500);
    }
    log.add("micro-batches with records before the restart " + batchesBefore + ", at SIGTERM "
        + microBatches(lastOut));
    stream.destroy(); // SIGTERM: the running micro-batch finishes, then the job stops with exit 0
    assertTrue(stream.waitFor(3, TimeUnit.MINUTES), "the stream did not stop on SIGTERM");
    String lastRun = Files.readString(lastOut) + Files.readString(work.resolve("stream-" + kills + ".err"));
    assertEquals(0, stream.exitValue(), "seed " + seed + " " + log + "\n" + lastRun);
    assertTrue(lastRun.contains("stream: stopped after"), lastRun);

    Process drain = startStream(lake, "available-now", kills + 1);
    assertTrue(drain.waitFor(5, TimeUnit.MINUTES), "available-now did not finish");
    String drained = Files.readString(work.resolve("stream-" + (kills + 1) + ".out"));
    assertEquals(0, drain.exitValue(), drained);

    SparkSession spark = SparkTestSession.get();
    Path batchLake = work.resolve("batch-lake");
    assertEquals(0, Main.run(new String[] {"batch", "--input", SAMPLES.resolve("events").toString(), "--input",
        SAMPLES.resolve("incremental").toString(), "--dims", SAMPLES.resolve("dims").toString(), "--lake",
        batchLake.toString()}, Map.of("TILLSTREAM_PII_KEY", KEY), System.out, System.err));
    Lake batch = new Lake(spark, batchLake.toString());
    Lake streamed = new Lake(spark, lake.toString());
    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(batch, streamed, 10);
    assertTrue(diffs.stream().allMatch(LakeComparison.TableDiff::equal),
        "seed " + seed + " " + log + "\n" + LakeComparison.report(diffs, "batch", "stream"));
    // Zero loss and zero duplicates, in bronze too: every Kafka offset exactly once.
    Row offsets = streamed.read(Table.BRONZE_SALES_EVENTS)
        .selectExpr("count(*)", "count(DISTINCT source_line)", "min(source_line)", "max(source_line)").head();
    assertEquals(List.of(315L, 315L, 0L, 314L), List.of(offsets.getLong(0), offsets.getLong(1), offsets.getLong(2),
        offsets.getLong(3)));
    assertEquals(315L, streamed.read(Table.OPS_RUNS).filter("job = 'stream' AND status = 'SUCCEEDED'")
        .selectExpr("sum(read)").head().getLong(0), "every offset read by exactly one committed micro-batch");

    Set<String> expected = new HashSet<>();
    batch.read(Table.GOLD_SUSPICIOUS_TRANSACTIONS).collectAsList()
        .forEach(r -> expected.add(r.getAs("rule_id") + ":" + r.getAs("event_id")));
    assertTrue(expected.size() >= 3, "the samples should fire several rules: " + expected);
    assertEquals(expected, alertIds(), "alerts on the topic (seed " + seed + ")");
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
        "--set", "spark.master=local[2]"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(work.resolve("stream-" + run + ".out").toFile())
        .redirectError(work.resolve("stream-" + run + ".err").toFile());
    pb.environment().put("TILLSTREAM_PII_KEY", KEY);
    pb.environment().remove("TILLSTREAM_PII_KEY_ID");
    pb.environment().put("TILLSTREAM_JAVA_OPTS", "-Xmx2g -XX:+UseParallelGC");
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
