package io.tillstream.jobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.Main;
import io.tillstream.jobs.cli.CommandContext;
import io.tillstream.jobs.testing.Commands;
import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.schedule.RunLock;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * daily and backfill in this JVM: options, configuration, the exit codes for a held lock, a missing day and a
 * transient failure that outlasts its retries, and --allow-missing with resume. Two processes at once, a killed
 * backfill and real runs are in ScheduleIT.
 */
class ScheduleCommandsTest {
  static final Map<String, String> ENV = Map.of("TILLSTREAM_PII_KEY", "schedule-test-key-0123456789");

  @TempDir
  Path work;

  private Commands.Result run(String... args) {
    return Commands.run(ENV, args);
  }

  /** The common options of a scheduled run in this test's folders. */
  private String[] scheduled(String command, String... more) {
    List<String> a = new ArrayList<>(List.of(command, "--landing", work.resolve("landing").toString(), "--lake",
        work.resolve("lake").toString(), "--set", "schedule.lock-dir=" + work.resolve("locks"), "--set",
        "spark.sql.shuffle.partitions=2"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void helpListsTheExitCodesForSchedulers() {
    for (String c : new String[] {"daily", "backfill"}) {
      Commands.Result r = run(c, "--help");
      assertEquals(0, r.code(), c);
      assertTrue(r.out().startsWith("usage: tillstream " + c), r.out());
      assertTrue(r.out().contains("3 already running") && r.out().contains("4 no input yet")
          && r.out().contains("5 transient failure"), r.out());
    }
    assertTrue(run("--help").out().contains("backfill"));
  }

  @Test
  void wrongOptionsAndValuesExitTwoNamingTheProblem() {
    assertTrue(run("backfill", "--to", "2025-03-01").err().contains("option --from is required"));
    assertTrue(run("backfill", "--from", "2025-03-02", "--to", "2025-03-01").err().contains("is after --to"));
    assertTrue(run("backfill", "--from", "2025-03-01", "--to", "2225-03-01").err().contains("spans more than"));
    Commands.Result date = run("daily", "--date", "2025-02-30");
    assertEquals(2, date.code());
    assertTrue(date.err().contains("--date '2025-02-30' is not a date") && date.err().contains("usage: tillstream daily"),
        date.err());
    assertTrue(run("daily", "--restart").err().contains("unknown option --restart"));
    assertTrue(run("backfill", "--from", "2025-03-01", "--to", "2025-03-02", "--restart", "x").err()
        .contains("unexpected argument 'x'"));
    for (String bad : new String[] {"schedule.time-zone=Mars/Olympus", "schedule.retries=-1",
        "schedule.retry-backoff=soon", "schedule.lock-dir=s3a://bucket/locks", "schedule.landing="}) {
      Commands.Result r = run("daily", "--set", bad);
      assertEquals(2, r.code(), bad);
      String key = bad.substring(0, bad.indexOf('='));
      assertTrue(r.err().contains("configuration error") && r.err().contains("'" + key + "'"), r.err());
    }
  }

  @Test
  void aMissingDayExitsFourAndTheDefaultDayIsYesterdayInTheConfiguredZone() throws Exception {
    Commands.Result missing = run(scheduled("daily", "--date", "2026-03-10"));
    assertEquals(4, missing.code(), missing.err());
    assertTrue(missing.err().contains("no input for 2026-03-10 yet: " + work.resolve("landing/date=2026-03-10")),
        missing.err());
    Files.createDirectories(work.resolve("landing/date=2026-03-10"));
    Files.writeString(work.resolve("landing/date=2026-03-10/_SUCCESS"), "");
    assertEquals(4, run(scheduled("daily", "--date", "2026-03-10")).code(), "a folder without event files");

    // 20:00 UTC on 10 March is 05:00 on 11 March in Tokyo: yesterday there is 10 March, in UTC 9 March.
    Clock clock = Clock.fixed(Instant.parse("2026-03-10T20:00:00Z"), ZoneOffset.UTC);
    Path other = work.resolve("other-landing");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandContext at = new CommandContext(ENV, System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
        clock);
    int code = Main.run(new String[] {"daily", "--set", "schedule.time-zone=Asia/Tokyo", "--set",
        "schedule.landing=" + other, "--lake", work.resolve("lake").toString()}, at);
    assertEquals(4, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(other.resolve("date=2026-03-10").toString()), err.toString());
    err.reset();
    Main.run(new String[] {"daily", "--set", "schedule.landing=" + other, "--lake", work.resolve("lake").toString()},
        at);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(other.resolve("date=2026-03-09").toString()), err.toString());
    assertFalse(Files.exists(work.resolve("lake")), "no input: no table written");
  }

  @Test
  void aHeldLockExitsThreeNamingItsHolder() {
    try (RunLock held = RunLock.tryAcquire(work.resolve("locks"), work.resolve("lake").toString(),
        "tillstream backfill (the test)").orElseThrow()) {
      Commands.Result daily = run(scheduled("daily", "--date", "2026-03-10"));
      assertEquals(3, daily.code(), daily.err());
      assertTrue(daily.err().contains("daily: already running on lake") && daily.err().contains("backfill (the test)")
          && daily.err().contains("pid " + ProcessHandle.current().pid()), daily.err());
      assertEquals(3, run(scheduled("backfill", "--from", "2026-03-01", "--to", "2026-03-02")).code());
    }
  }

  @Test
  void aTransientFailureIsRetriedThenExitsFive() throws Exception {
    Files.createDirectories(work.resolve("landing/date=2025-03-10"));
    Files.copy(SamplesLake.SAMPLES.resolve("events/handcrafted.jsonl"),
        work.resolve("landing/date=2025-03-10/events.jsonl"));
    Files.writeString(work.resolve("lake"), "a file where the lake should be: every write fails with an I/O error");
    Commands.Result r = run(scheduled("daily", "--date", "2025-03-10", "--set", "schedule.retries=1", "--set",
        "schedule.retry-backoff=0s"));
    assertEquals(5, r.code(), r.err());
    assertTrue(r.err().contains("daily 2025-03-10: transient failure (") && r.err().contains("retry 1 of 1 in 0s"),
        r.err());
    assertTrue(r.err().contains("daily 2025-03-10: transient failure persisted after 2 attempt(s)"), r.err());
  }

  @Test
  void backfillStopsAtAMissingDayUnlessAllowedThenResumesAfterTheSkippedDays() {
    Commands.Result stopped = run(scheduled("backfill", "--from", "2026-03-01", "--to", "2026-03-02"));
    assertEquals(4, stopped.code(), stopped.err());
    assertTrue(stopped.out().contains("backfill 2026-03-01 NO_INPUT: no input for 2026-03-01 yet"), stopped.out());
    assertTrue(stopped.err().contains("backfill: stopped at 2026-03-01 (exit 4)"), stopped.err());

    Commands.Result allowed = run(scheduled("backfill", "--from", "2026-03-01", "--to", "2026-03-02",
        "--allow-missing"));
    assertEquals(0, allowed.code(), allowed.err());
    assertTrue(allowed.out().contains("backfill 2026-03-01 SKIPPED in 0 ms")
        && allowed.out().contains("backfill 2026-03-02 SKIPPED"), allowed.out());
    List<Row> runs = new Lake(SparkTestSession.get(), work.resolve("lake").toString()).read(Table.OPS_RUNS)
        .orderBy("landing_date").selectExpr("job", "status", "CAST(landing_date AS STRING)", "files_read", "read")
        .collectAsList();
    assertEquals("[[backfill,SKIPPED,2026-03-01,0,0], [backfill,SKIPPED,2026-03-02,0,0]]", runs.toString());

    Commands.Result resumed = run(scheduled("backfill", "--from", "2026-03-01", "--to", "2026-03-02"));
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("backfill: resuming after 2026-03-02 (2 days already done)")
        && resumed.out().contains("0 day(s) run, 2 already done"), resumed.out());
    Commands.Result restarted = run(scheduled("backfill", "--from", "2026-03-02", "--to", "2026-03-02",
        "--restart"));
    assertEquals(4, restarted.code(), "--restart runs the day again, and it still has no input");
  }
}
