package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.Table;
import io.tillstream.lake.TableMaintenance;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * maintain (OPTIMIZE and VACUUM with a one-hour window) runs twice while the file stream, in its own JVM
 * through scripts/tillstream, commits micro-batches into the same lake. The stream must keep going with every
 * micro-batch SUCCEEDED, stop cleanly on SIGTERM, and its tables must equal one batch run over the same files;
 * the small files are compacted and time travel to the versions before each OPTIMIZE still reads.
 */
class MaintainWhileStreamingIT {
  static final Path SAMPLES = Paths.get("..", "data-samples").toAbsolutePath().normalize();
  static final Path SCRIPT = Paths.get("..", "scripts", "tillstream").toAbsolutePath().normalize();
  static final String KEY = "maintain-it-key-0123456789";
  private static final Pattern BATCH_LINE = Pattern.compile("stream batch \\d+: (\\d+) records");

  @TempDir
  Path work;
  private final long started = System.nanoTime();

  @Test
  void maintenanceBesideARunningStreamKeepsItGoingAndTheTablesIntact() throws Exception {
    List<Path> parts = splitSamples(work.resolve("staging"), 5);
    Path batchInput = Files.createDirectories(work.resolve("batch-input"));
    for (Path p : parts) {
      Files.copy(p, batchInput.resolve(p.getFileName()));
    }
    Path landing = Files.createDirectories(work.resolve("landing"));
    Path lakeDir = work.resolve("lake");
    Process stream = startStream(lakeDir, landing, "2s", "stream");
    try {
      land(parts.subList(0, 2), landing);
      // The reference: one batch run over the same files, while the stream starts.
      SparkSession spark = SparkTestSession.get();
      Path batchLake = work.resolve("batch-lake");
      assertEquals(0, Main.run(new String[] {"batch", "--input", batchInput.toString(), "--dims",
          SAMPLES.resolve("dims").toString(), "--lake", batchLake.toString()}, Map.of("TILLSTREAM_PII_KEY", KEY),
          System.out, System.err));
      milestone("batch run done");
      waitForRecords(work.resolve("stream.out"), 1, stream);
      milestone("first micro-batch committed");

      Lake lake = new Lake(spark, lakeDir.toString());
      List<MaintainCommand.Outcome> rounds = new ArrayList<>();
      land(parts.subList(2, 4), landing);
      // First compaction of the tables the stream MERGEs into and replaces partitions of, then every table with
      // VACUUM.
      rounds.add(maintain(lake, List.of(Table.SILVER_SALES_LINES, Table.GOLD_DAILY_SALES), false));
      land(parts.subList(4, parts.size()), landing);
      rounds.add(maintain(lake, List.of(Table.values()), true));
      assertTrue(stream.isAlive(), "the stream died during maintenance:\n" + output("stream"));

      waitForRecords(work.resolve("stream.out"), 310, stream);
      milestone("every record streamed");
      stream.destroy(); // SIGTERM: the running micro-batch finishes, then the job stops with exit 0
      assertTrue(stream.waitFor(3, TimeUnit.MINUTES), "the stream did not stop on SIGTERM");
      assertEquals(0, stream.exitValue(), output("stream"));
      Process drain = startStream(lakeDir, landing, "available-now", "drain");
      assertTrue(drain.waitFor(5, TimeUnit.MINUTES), "available-now did not finish");
      assertEquals(0, drain.exitValue(), output("drain"));
      assertTrue(Files.readString(work.resolve("drain.out")).contains("stream: done after 0 micro-batches"),
          output("drain"));
      milestone("stopped and drained");
      System.out.println("conflicting commits repeated by the stream: " + output("stream").lines()
          .filter(l -> l.contains("commit conflict")).count() + ", by maintain: " + rounds.stream()
          .flatMap(o -> o.tables().stream()).mapToInt(TableMaintenance.Report::conflictsRetried).sum());

      Dataset<Row> runs = lake.read(Table.OPS_RUNS);
      assertEquals(0, runs.filter("job = 'stream' AND status <> 'SUCCEEDED'").count(), "failed micro-batches");
      assertEquals(310L, runs.filter("job = 'stream'").selectExpr("sum(read)").head().getLong(0));
      assertEquals(List.of("SUCCEEDED", "SUCCEEDED"), runs.filter("job = 'maintain'").orderBy("started_at")
          .select("status").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

      List<LakeComparison.TableDiff> diffs = LakeComparison.compare(new Lake(spark, batchLake.toString()), lake, 10);
      assertTrue(diffs.stream().allMatch(LakeComparison.TableDiff::equal), LakeComparison.report(diffs, "batch",
          "stream+maintain"));
      milestone("compared with the batch run");

      // Compaction: fewer live files in silver than the stream wrote.
      long live = new TableMaintenance(lake, Duration.ofHours(1), 1).liveFiles(Table.SILVER_SALES_LINES).count();
      List<Row> optimizes = io.delta.tables.DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(lake.root()))
          .history().filter("operation = 'OPTIMIZE'").select("version", "operationMetrics").collectAsList();
      assertTrue(optimizes.size() >= 1, "silver was never compacted");
      long addedByStream = io.delta.tables.DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(lake.root()))
          .history().filter("operation IN ('MERGE', 'WRITE')")
          .selectExpr("sum(CAST(coalesce(operationMetrics['numTargetFilesAdded'], operationMetrics['numFiles']) AS"
              + " BIGINT))").head().getLong(0);
      assertTrue(live < addedByStream, live + " live files of " + addedByStream + " the stream wrote");
      for (MaintainCommand.Outcome round : rounds) {
        round.tables().forEach(t -> assertNull(t.error(), t.toString()));
      }
      // Time travel to the version before each OPTIMIZE (within the one-hour window, after VACUUM) reads the
      // same rows as the OPTIMIZE's own version.
      for (Row o : optimizes) {
        long v = o.getLong(0);
        Dataset<Row> before = lake.readVersion(Table.SILVER_SALES_LINES, v - 1);
        Dataset<Row> after = lake.readVersion(Table.SILVER_SALES_LINES, v);
        assertEquals(0, before.exceptAll(after).count() + after.exceptAll(before).count(), "version " + v);
        assertTrue(before.count() > 0);
      }
    } finally {
      stream.destroyForcibly();
    }
  }

  /** One maintenance round with a one-hour window, beside the stream. */
  private MaintainCommand.Outcome maintain(Lake lake, List<Table> tables, boolean vacuum) {
    MaintainCommand.Outcome o = MaintainCommand.execute(lake, tables, false, vacuum, Duration.ofHours(1), 5);
    System.out.println(MaintainCommand.report(o, "1h", false, vacuum));
    milestone("maintain round done");
    return o;
  }

  private void milestone(String what) {
    System.out.printf("MaintainWhileStreamingIT: %s after %d s%n", what, (System.nanoTime() - started) / 1_000_000_000);
  }

  /** data-samples/events as {@code pieces} files of generated events plus the handcrafted file, in name order. */
  private static List<Path> splitSamples(Path dir, int pieces) throws Exception {
    Files.createDirectories(dir);
    List<String> lines = Files.readAllLines(SAMPLES.resolve("events/generated.jsonl"));
    List<Path> out = new ArrayList<>();
    int size = (lines.size() + pieces - 1) / pieces;
    for (int i = 0; i < pieces; i++) {
      out.add(Files.write(dir.resolve(String.format("part-%02d.jsonl", i)),
          lines.subList(i * size, Math.min(lines.size(), (i + 1) * size))));
    }
    out.add(Files.copy(SAMPLES.resolve("events/handcrafted.jsonl"), dir.resolve("part-99-handcrafted.jsonl")));
    return out;
  }

  /** Moves files into the landing folder atomically, as the file stream expects. */
  private static void land(List<Path> files, Path landing) throws Exception {
    for (Path f : files) {
      Files.move(f, landing.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void waitForRecords(Path out, long records, Process stream) throws Exception {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
    while (System.currentTimeMillis() < deadline && stream.isAlive()) {
      long read = 0;
      Matcher m = BATCH_LINE.matcher(Files.readString(out));
      while (m.find()) {
        read += Long.parseLong(m.group(1));
      }
      if (read >= records) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the stream did not read " + records + " records:\n" + Files.readString(out));
  }

  private Process startStream(Path lake, Path landing, String trigger, String name) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "stream", "--source", "files", "--input",
        landing.toString(), "--dims", SAMPLES.resolve("dims").toString(), "--lake", lake.toString(), "--trigger",
        trigger, "--set", "spark.sql.shuffle.partitions=2", "--set", "spark.master=local[2]")
        .redirectOutput(work.resolve(name + ".out").toFile()).redirectError(work.resolve(name + ".err").toFile());
    pb.environment().put("TILLSTREAM_PII_KEY", KEY);
    pb.environment().remove("TILLSTREAM_PII_KEY_ID");
    pb.environment().put("TILLSTREAM_JAVA_OPTS", "-Xmx2g -XX:+UseParallelGC");
    return pb.start();
  }

  private String output(String name) throws Exception {
    return Files.readString(work.resolve(name + ".out")) + Files.readString(work.resolve(name + ".err"));
  }
}
