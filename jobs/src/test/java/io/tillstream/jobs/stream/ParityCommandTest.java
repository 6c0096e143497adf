package io.tillstream.jobs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.Main;
import io.tillstream.jobs.stream.StreamJob;
import io.tillstream.jobs.stream.StreamSettings;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.Table;
import io.tillstream.privacy.PiiKey;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kappa promise, in-process: the streaming job's tables equal the batch job's. */
class ParityCommandTest {
  static final Path SAMPLES = Paths.get("..", "data-samples").toAbsolutePath().normalize();
  static final Map<String, String> ENV = Map.of("TILLSTREAM_PII_KEY", "parity-test-key-0123456789");
  private final SparkSession spark = SparkTestSession.get();

  /** verify-parity's verdict on success, its last line (a difference prints "NO PARITY: ..." and exits 1). */
  static final String PARITY_LINE = "PARITY: the streaming job's tables equal the batch job's";

  private static String lastLine(String out) {
    List<String> lines = out.lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static String run(int expectedExit, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(args, ENV, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(expectedExit, code, text);
    return text;
  }

  @Test
  void verifyParityPassesOnTheSamplesAndReportsALostLine(@TempDir Path work) {
    String out = run(0, "verify-parity", "--input", SAMPLES.resolve("events").toString(), "--input",
        SAMPLES.resolve("incremental").toString(), "--dims", SAMPLES.resolve("dims").toString(), "--work",
        work.resolve("p").toString(), "--batches", "3", "--duplicates", "0.1");
    assertTrue(out.contains("silver.sales_lines                 batch: 578 rows, stream: 578 rows -> equal"), out);
    assertTrue(out.contains("batch:  SUCCEEDED, read 315 = accepted 285 + quarantined 18 + duplicates 12"), out);
    assertEquals(PARITY_LINE, lastLine(out), out);

    // A lake that lost one sales line must be reported, with the line.
    Lake batch = new Lake(spark, work.resolve("p/batch-lake").toString());
    Lake stream = new Lake(spark, work.resolve("p/stream-lake").toString());
    String missing = stream.read(Table.SILVER_SALES_LINES).orderBy("event_id", "line_no").head().getAs("event_id");
    io.delta.tables.DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(stream.root()))
        .delete("event_id = '" + missing + "' AND line_no = 1");
    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(batch, stream, 5);
    LakeComparison.TableDiff silver = diffs.get(0);
    assertEquals(Table.SILVER_SALES_LINES, silver.table());
    assertEquals(List.of(1L, 0L), List.of(silver.onlyLeftCount(), silver.onlyRightCount()));
    assertTrue(silver.onlyLeft().get(0).contains(missing), silver.onlyLeft().toString());
    assertTrue(LakeComparison.report(diffs, "batch", "stream").contains("DIFFERENT (1 only in batch, 0 only in stream)"));
  }

  /**
   * Batch for days 1-3, then the stream for days 3-5 with every day-3 event again and day-2 events that arrive
   * late: the lake equals one batch run over everything.
   */
  @Test
  void batchThenStreamInOneLakeEqualsOneBatchRun(@TempDir Path work) throws Exception {
    Path gen = work.resolve("gen");
    run(0, "generate", "--out", gen.toString(), "--events", "500", "--days", "5", "--seed", "23", "--bad-rate",
        "0.04", "--dup-rate", "0.06", "--late-rate", "0.1", "--start", "2025-06-01");
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(gen.resolve("events"))) {
      for (Path f : files.sorted().toList()) {
        lines.addAll(Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList());
      }
    }
    ObjectMapper json = new ObjectMapper();
    Map<String, Integer> idCount = new HashMap<>();
    List<String[]> parsed = new ArrayList<>();
    for (String l : lines) {
      String day = "";
      String id = "";
      try {
        JsonNode n = json.readTree(l);
        day = n.path("event_time").asText("").length() >= 10 ? n.path("event_time").asText().substring(0, 10) : "";
        id = n.path("event_id").asText("");
      } catch (Exception e) {
        // malformed: goes with the batch part
      }
      idCount.merge(id, 1, Integer::sum);
      parsed.add(new String[] {day, id, l});
    }
    List<String> batchPart = new ArrayList<>();
    List<String> streamPart = new ArrayList<>();
    List<String> late = new ArrayList<>();
    int day2 = 0;
    for (String[] p : parsed) {
      String day = p[0];
      boolean early = day.isEmpty() || day.compareTo("2025-06-03") <= 0;
      if (day.equals("2025-06-02") && idCount.get(p[1]) == 1 && day2++ % 4 == 0) {
        late.add(p[2]);
        continue;
      }
      if (early) {
        batchPart.add(p[2]);
      }
      if (day.compareTo("2025-06-03") >= 0) {
        streamPart.add(p[2]);
      }
    }
    assertTrue(late.size() >= 5, "late day-2 events: " + late.size());
    Path batchIn = Files.createDirectories(work.resolve("in-batch"));
    Files.write(batchIn.resolve("days-1-3.jsonl"), batchPart);
    Path landing = Files.createDirectories(work.resolve("landing"));
    int third = streamPart.size() / 3;
    Files.write(landing.resolve("a.jsonl"), streamPart.subList(0, third));
    Files.write(landing.resolve("b.jsonl"), streamPart.subList(third, 2 * third));
    Files.write(landing.resolve("c.jsonl"), streamPart.subList(2 * third, streamPart.size()));
    Files.write(landing.resolve("d-late.jsonl"), late);

    String dims = gen.resolve("dims").toString();
    Path mixed = work.resolve("mixed-lake");
    run(0, "batch", "--input", batchIn.toString(), "--dims", dims, "--lake", mixed.toString());
    // Continuous, with gold at most once an hour: the gold thread refreshes the days of the first micro-batch(es)
    // once, the others only reach silver, their days kept beside the checkpoint.
    String checkpoint = work.resolve("checkpoint").toString();
    StreamSettings continuous = new StreamSettings(StreamSettings.Source.FILES, null, null, landing.toString(), dims,
        mixed.toString(), checkpoint, Duration.ofSeconds(1), TillstreamConfig.defaults()
            .with("stream.files.max-files-per-trigger", "1").with("stream.gold-interval", "1h"));
    StreamJob job = StreamJob.start(spark, continuous, PiiKey.fromEnvironment(ENV, "k1", false), 0, System.out);
    for (int i = 0; i < 600 && !job.totals().startsWith("4 micro-batches"); i++) {
      Thread.sleep(500);
    }
    job.stopGracefully(Duration.ofMinutes(2).toMillis());
    assertEquals(null, job.await());
    assertTrue(job.totals().startsWith("4 micro-batches"), job.totals());
    Lake lake = new Lake(spark, mixed.toString());
    assertEquals(List.of(false, false, false, false), lake.read(Table.OPS_RUNS)
        .filter("job = 'stream' AND run_id NOT LIKE 'stream-gold-%'").orderBy("started_at")
        .selectExpr("map_contains_key(stage_ms, 'gold daily_sales')").as(Encoders.BOOLEAN()).collectAsList(),
        "gold refreshed by micro-batch");
    assertEquals(List.of(0L), lake.read(Table.OPS_RUNS).filter("run_id LIKE 'stream-gold-%'")
        .filter("map_contains_key(stage_ms, 'gold daily_sales')").select("read").as(Encoders.LONG()).collectAsList(),
        "gold refreshes by the gold thread");

    Path reference = work.resolve("reference-lake");
    run(0, "batch", "--input", gen.resolve("events").toString(), "--dims", dims, "--lake", reference.toString());
    Lake one = new Lake(spark, reference.toString());
    List<LakeComparison.TableDiff> stale = LakeComparison.compare(one, lake, 10);
    List<Table> different = stale.stream().filter(d -> !d.equal()).map(LakeComparison.TableDiff::table).toList();
    assertTrue(different.containsAll(List.of(Table.GOLD_DAILY_SALES, Table.GOLD_MONTHLY_SALES,
        Table.GOLD_PRODUCT_TRENDS, Table.GOLD_CUSTOMER_VALUE)) && different.stream().allMatch(t -> t.qualifiedName().startsWith("gold.")),
        "gold waits for its interval, silver does not: " + different);

    // The next start (here available-now, with nothing new to read) first refreshes the days left pending.
    ByteArrayOutputStream restartOut = new ByteArrayOutputStream();
    StreamSettings drain = new StreamSettings(StreamSettings.Source.FILES, null, null, landing.toString(), dims,
        mixed.toString(), checkpoint, null, TillstreamConfig.defaults().with("stream.files.max-files-per-trigger", "1"));
    StreamJob restarted = StreamJob.start(spark, drain, PiiKey.fromEnvironment(ENV, "k1", false), 0,
        new PrintStream(restartOut, true, StandardCharsets.UTF_8));
    assertEquals(null, restarted.await());
    assertTrue(restarted.totals().startsWith("0 micro-batches"), restarted.totals());
    assertTrue(restartOut.toString(StandardCharsets.UTF_8).contains("stream: gold refreshed for"), restartOut.toString());

    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(one, new Lake(spark, mixed.toString()), 10);
    assertTrue(diffs.stream().allMatch(LakeComparison.TableDiff::equal),
        LakeComparison.report(diffs, "one batch", "batch+stream"));
    long lateLines = new Lake(spark, mixed.toString()).read(Table.SILVER_SALES_LINES)
        .filter("source_file LIKE '%d-late.jsonl'").count();
    assertTrue(lateLines >= late.size(), "late events in silver: " + lateLines);
  }
}
