package io.tillstream.jobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.Main;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * daily and backfill as a scheduler runs them, in their own JVMs through scripts/tillstream, on one lake: two
 * dailies started at once (one runs, one exits 3), then a backfill over the following days killed with SIGKILL
 * right after its second day and started again. The lake must end equal to an uninterrupted backfill, which
 * runs in this JVM meanwhile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleIT {
  static final Path SAMPLES = Paths.get("..", "data-samples").toAbsolutePath().normalize();
  static final Path SCRIPT = Paths.get("..", "scripts", "tillstream").toAbsolutePath().normalize();
  static final String KEY = "schedule-it-key-0123456789";
  static final String D1 = "2025-03-10";
  static final String D2 = "2025-03-11";
  static final String D3 = "2025-03-12";

  @TempDir
  static Path work;
  /** The uninterrupted backfill, in this JVM, while the processes run (exit code). */
  static CompletableFuture<Integer> reference;

  /**
   * Three landing days cut from the samples (late events, duplicates and defects cross the days); the reference
   * backfill starts at once in the background.
   */
  @BeforeAll
  static void landDaysAndStartTheReference() throws IOException {
    List<String> generated = Files.readAllLines(SAMPLES.resolve("events/generated.jsonl"));
    Path d1 = Files.createDirectories(work.resolve("landing/date=" + D1));
    Path d2 = Files.createDirectories(work.resolve("landing/date=" + D2));
    Path d3 = Files.createDirectories(work.resolve("landing/date=" + D3));
    Files.write(d1.resolve("pos-1.jsonl"), generated.subList(0, 100));
    Files.write(d2.resolve("pos-2.jsonl"), generated.subList(100, 200));
    Files.copy(SAMPLES.resolve("events/handcrafted.jsonl"), d2.resolve("web-2.jsonl"));
    Files.write(d3.resolve("pos-3.jsonl"), generated.subList(200, 300));
    Files.copy(SAMPLES.resolve("incremental/late-and-duplicates.jsonl.gz"), d3.resolve("web-3.jsonl.gz"));
    SparkTestSession.get();
    reference = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"backfill", "--from", D1, "--to", D3,
        "--landing", work.resolve("landing").toString(), "--lake", referenceLake().toString(), "--set",
        "spark.sql.shuffle.partitions=2", "--set", "schedule.lock-dir=" + work.resolve("locks")},
        Map.of("TILLSTREAM_PII_KEY", KEY), System.out, System.err));
  }

  /** The reference shares this JVM's Spark session: let it finish before the next test class. */
  @AfterAll
  static void awaitTheReference() throws Exception {
    if (reference != null) {
      reference.handle((code, failure) -> code).get(10, TimeUnit.MINUTES);
    }
  }

  private static Path referenceLake() {
    return work.resolve("reference-lake");
  }

  private static Path lake() {
    return work.resolve("lake");
  }

  private static Process start(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--landing", work.resolve("landing").toString(), "--lake", lake().toString(),
        "--set", "schedule.lock-dir=" + work.resolve("locks"), "--set", "spark.master=local[2]",
        "--set", "spark.sql.shuffle.partitions=2", "--set", "spark.databricks.delta.snapshotPartitions=1"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(work.resolve(name + ".out").toFile())
        .redirectError(work.resolve(name + ".err").toFile());
    pb.environment().put("TILLSTREAM_PII_KEY", KEY);
    pb.environment().remove("TILLSTREAM_PII_KEY_ID");
    // C1 only: half the CPU of the default JIT for runs this short (measured), and the machine has 2 cores.
    pb.environment().put("TILLSTREAM_JAVA_OPTS", "-Xmx1g -XX:+UseParallelGC -XX:TieredStopAtLevel=1");
    return pb.start();
  }

  private static String out(String name) throws IOException {
    return Files.readString(work.resolve(name + ".out"));
  }

  private static String err(String name) throws IOException {
    return Files.readString(work.resolve(name + ".err"));
  }

  private static int finish(Process p) throws InterruptedException {
    assertTrue(p.waitFor(4, TimeUnit.MINUTES), "the run did not finish");
    return p.exitValue();
  }

  /** job, status and landing day of each ops.runs row that has one, in order of landing day then start. */
  private static List<String> scheduledRuns(Path lake) {
    return new Lake(SparkTestSession.get(), lake.toString()).read(Table.OPS_RUNS)
        .filter("landing_date IS NOT NULL").orderBy("landing_date", "started_at")
        .selectExpr("concat_ws(' ', job, status, CAST(landing_date AS STRING))").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
  }

  @Test
  @Order(1)
  void twoDailyRunsStartedAtOnceOneRunsTheOtherExitsThree() throws Exception {
    Process a = start("daily-a", "daily", "--date", D1);
    Process b = start("daily-b", "daily", "--date", D1);
    int codeA = finish(a);
    int codeB = finish(b);
    String winner = codeA == 0 ? "daily-a" : "daily-b";
    String loser = codeA == 0 ? "daily-b" : "daily-a";
    assertEquals(List.of(0, 3), List.of(Math.min(codeA, codeB), Math.max(codeA, codeB)),
        err("daily-a") + "\n" + err("daily-b"));
    assertTrue(err(loser).contains("daily: already running on lake " + lake()) && err(loser)
        .contains("tillstream daily --date " + D1), err(loser));
    assertTrue(out(winner).contains("read 100 = accepted 93 + quarantined 4 + duplicates 3"), out(winner));
    assertEquals(List.of("daily SUCCEEDED " + D1), scheduledRuns(lake()));
  }

  @Test
  @Order(2)
  void aKilledBackfillResumesAfterItsLastDayAndEndsEqualToAnUninterruptedOne() throws Exception {
    Process first = start("backfill-1", "backfill", "--from", D1, "--to", D3);
    String dayTwo = "backfill " + D2 + " SUCCEEDED";
    for (int i = 0; i < 2400 && first.isAlive() && !out("backfill-1").contains(dayTwo); i++) {
      Thread.sleep(100);
    }
    first.destroyForcibly().waitFor();
    String killed = out("backfill-1");
    assertTrue(killed.contains("backfill: resuming after " + D1 + " (1 day already done)"), killed + err("backfill-1"));
    assertTrue(killed.contains(dayTwo) && !killed.contains("backfill " + D3), killed);

    Process second = start("backfill-2", "backfill", "--from", D1, "--to", D3);
    assertEquals(0, finish(second), err("backfill-2"));
    String resumed = out("backfill-2");
    assertTrue(resumed.contains("backfill: resuming after " + D2 + " (2 days already done)"), resumed);
    assertTrue(resumed.contains("backfill " + D3 + " SUCCEEDED read 105 ") && !resumed.contains("backfill " + D2),
        resumed);
    assertTrue(resumed.contains("backfill: done " + D1 + " .. " + D3 + ": 1 day(s) run, 2 already done"), resumed);
    assertEquals(List.of("daily SUCCEEDED " + D1, "backfill SUCCEEDED " + D2, "backfill SUCCEEDED " + D3),
        scheduledRuns(lake()));

    assertEquals(0, reference.get(10, TimeUnit.MINUTES), "the uninterrupted backfill");
    assertEquals(List.of("backfill SUCCEEDED " + D1, "backfill SUCCEEDED " + D2, "backfill SUCCEEDED " + D3),
        scheduledRuns(referenceLake()));
    Lake uninterrupted = new Lake(SparkTestSession.get(), referenceLake().toString());
    Lake resumedLake = new Lake(SparkTestSession.get(), lake().toString());
    // Every landed record exactly once in bronze: 100 + (100 + 10) + (100 + 5).
    assertEquals(315L, uninterrupted.read(Table.BRONZE_SALES_EVENTS).count());
    assertEquals(315L, resumedLake.read(Table.BRONZE_SALES_EVENTS).count());
    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(uninterrupted, resumedLake, 10);
    assertTrue(diffs.stream().allMatch(LakeComparison.TableDiff::equal),
        LakeComparison.report(diffs, "uninterrupted", "killed-and-resumed"));
    assertFalse(diffs.stream().anyMatch(d -> d.leftRows() == 0 && d.table() != Table.GOLD_SUSPICIOUS_TRANSACTIONS),
        LakeComparison.report(diffs, "uninterrupted", "killed-and-resumed"));
  }
}
