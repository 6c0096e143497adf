package io.tillstream.jobs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream's gold cadences, on a clock the test sets: what is due when, and what survives a restart. */
class GoldCadenceTest {
  private static final GoldCadence.Tier DAILY = GoldCadence.Tier.DAILY_SALES;
  private static final GoldCadence.Tier OTHERS = GoldCadence.Tier.OTHERS;
  private static final LocalDate D1 = LocalDate.of(2025, 3, 1);
  private static final LocalDate D2 = LocalDate.of(2025, 3, 2);
  private static final LocalDate D3 = LocalDate.of(2025, 3, 3);

  @Test
  void goldWaitsForTheIntervalThenTakesEveryDayTouchedSinceAndARestartKeepsThem(@TempDir Path checkpoint) {
    GoldCadence cadence = cadence(checkpoint, Duration.ofMinutes(1), Duration.ofMinutes(1));
    // A micro-batch only records its days; the gold thread's first look after a start takes them at once.
    assertEquals(days(), cadence.due(0, days(D1)));
    assertEquals(new GoldCadence.Pending(0, days(D1)), cadence.dueNow(DAILY, 0));
    cadence.refreshed(DAILY, cadence.dueNow(DAILY, 0), 0);
    assertEquals(GoldCadence.Pending.NONE, cadence.pending(DAILY));
    // Within the interval: nothing is due, the days wait beside the checkpoint.
    assertEquals(days(), cadence.due(1, days(D2)));
    assertEquals(days(), cadence.due(2, days(D3, D2)));
    assertEquals(GoldCadence.Pending.NONE, cadence.dueNow(DAILY, 59_999));
    assertEquals(new GoldCadence.Pending(2, days(D2, D3)), cadence.pending(DAILY));
    // A new cadence over the same checkpoint (a restarted stream) finds them.
    GoldCadence restarted = cadence(checkpoint, Duration.ofMinutes(1), Duration.ofMinutes(1));
    assertEquals(new GoldCadence.Pending(2, days(D2, D3)), restarted.pending(DAILY));
    // Once the interval has passed: every pending day.
    GoldCadence.Pending due = cadence.dueNow(DAILY, 60_000);
    assertEquals(new GoldCadence.Pending(2, days(D2, D3)), due);
    // A micro-batch that records its days while that refresh runs keeps them for the next one.
    assertEquals(days(), cadence.due(3, days(D1)));
    cadence.refreshed(DAILY, due, 60_000);
    assertEquals(new GoldCadence.Pending(3, days(D1)), cadence.pending(DAILY));
    // A replayed micro-batch writes its days again; a refresh forgets only the micro-batches it covered.
    assertEquals(days(), cadence.due(3, days(D1)));
    GoldCadence.Pending upTo3 = cadence.pending(DAILY);
    assertEquals(days(), cadence.due(4, days(D2)));
    cadence.refreshed(DAILY, upTo3, 63_000);
    assertEquals(new GoldCadence.Pending(4, days(D2)), cadence.pending(DAILY));
  }

  @Test
  void aStartRefreshesPendingDaysBeforeTheQueriesOnlyWithoutGoldThreadsOrForAnOldCheckpoint(@TempDir Path dir)
      throws Exception {
    Path checkpoint = dir.resolve("c");
    GoldCadence threads = cadence(checkpoint, Duration.ofSeconds(5), Duration.ofSeconds(30));
    assertEquals(false, threads.refreshPendingAtStart(), "nothing pending");
    threads.due(0, days(D1));
    // Each gold thread takes its own list at its first look, beside the first micro-batch.
    assertEquals(false, cadence(checkpoint, Duration.ofSeconds(5), Duration.ofSeconds(30)).refreshPendingAtStart());
    // Without gold threads the start refreshes before the queries.
    assertEquals(true, cadence(checkpoint, Duration.ZERO, Duration.ofSeconds(30)).refreshPendingAtStart());
    // A checkpoint from before the others' list existed: its days are only in gold-pending.
    java.nio.file.Files.walk(checkpoint.resolve(OTHERS.folder)).sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    assertEquals(true, cadence(checkpoint, Duration.ofSeconds(5), Duration.ofSeconds(30)).refreshPendingAtStart());
  }

  @Test
  void eachCadenceForgetsOnlyWhatItsOwnRefreshTook(@TempDir Path checkpoint) {
    GoldCadence cadence = cadence(checkpoint, Duration.ofSeconds(5), Duration.ofSeconds(30));
    cadence.due(0, days(D1));
    cadence.due(1, days(D2));
    // Both take their days at the first look; daily sales again 5 s after its refresh, the others only after 30 s.
    cadence.refreshed(DAILY, cadence.dueNow(DAILY, 0), 0);
    cadence.refreshed(OTHERS, cadence.dueNow(OTHERS, 0), 0);
    cadence.due(2, days(D3));
    assertEquals(new GoldCadence.Pending(2, days(D3)), cadence.dueNow(DAILY, 5_000));
    cadence.refreshed(DAILY, cadence.dueNow(DAILY, 5_000), 5_000);
    cadence.due(3, days(D1));
    assertEquals(new GoldCadence.Pending(3, days(D1)), cadence.dueNow(DAILY, 10_000));
    // Daily sales' refreshes never cleared what the other tables still owe.
    assertEquals(GoldCadence.Pending.NONE, cadence.dueNow(OTHERS, 29_999));
    assertEquals(new GoldCadence.Pending(3, days(D1, D3)), cadence.dueNow(OTHERS, 30_000));
    assertEquals(new GoldCadence.Pending(3, days(D1, D3)),
        cadence(checkpoint, Duration.ofSeconds(5), Duration.ofSeconds(30)).pending(OTHERS));
  }

  @Test
  void aLongRefreshOfTheOtherTablesWaitsThreeTimesItsLengthAndDailySalesOnlyItsInterval(@TempDir Path checkpoint) {
    GoldCadence cadence = cadence(checkpoint, Duration.ofSeconds(5), Duration.ofSeconds(30));
    cadence.due(0, days(D1));
    // The other tables' refresh took 20 s (10 s to 30 s): the next waits 60 s after it, not 30 s.
    cadence.refreshed(OTHERS, cadence.dueNow(OTHERS, 10_000), 10_000, 30_000);
    cadence.refreshed(DAILY, cadence.dueNow(DAILY, 10_000), 10_000, 30_000);
    cadence.due(1, days(D2));
    assertEquals(GoldCadence.Pending.NONE, cadence.dueNow(OTHERS, 89_999));
    assertEquals(new GoldCadence.Pending(1, days(D2)), cadence.dueNow(OTHERS, 90_000));
    // A short one waits the interval.
    cadence.refreshed(OTHERS, cadence.dueNow(OTHERS, 90_000), 90_000, 91_000);
    cadence.due(2, days(D3));
    assertEquals(new GoldCadence.Pending(2, days(D3)), cadence.dueNow(OTHERS, 121_000));
    // Daily sales keeps its interval after the end of its refresh, however long that took.
    assertEquals(new GoldCadence.Pending(2, days(D2, D3)), cadence.dueNow(DAILY, 35_000));
  }

  @Test
  void theOtherTablesNeverRunAheadOfDailySales() {
    GoldCadence everyFive = cadence(Path.of("unused"), Duration.ofSeconds(5), Duration.ZERO);
    assertEquals(Duration.ofSeconds(5), everyFive.interval(OTHERS));
    assertEquals(Duration.ofSeconds(30),
        cadence(Path.of("unused"), Duration.ofSeconds(30), Duration.ofSeconds(10)).interval(OTHERS));
    assertEquals(Duration.ZERO, cadence(Path.of("unused"), Duration.ZERO, Duration.ofSeconds(30)).interval(OTHERS));
  }

  @Test
  void anIntervalOfZeroRefreshesEveryMicroBatchAndKeepsNothing(@TempDir Path checkpoint) {
    GoldCadence cadence = cadence(checkpoint, Duration.ZERO, Duration.ofSeconds(30));
    assertEquals(days(D1, D2), cadence.due(0, days(D1, D2)));
    assertEquals(days(D3), cadence.due(1, days(D3)));
    for (GoldCadence.Tier tier : GoldCadence.Tier.values()) {
      assertEquals(GoldCadence.Pending.NONE, cadence.pending(tier));
      assertEquals(GoldCadence.Pending.NONE, cadence.dueNow(tier, 1_000_000));
    }
  }

  private static GoldCadence cadence(Path checkpoint, Duration dailySales, Duration others) {
    return new GoldCadence(new Configuration(), checkpoint.toString(), dailySales, others, 3);
  }

  private static SortedSet<LocalDate> days(LocalDate... d) {
    return new TreeSet<>(java.util.List.of(d));
  }
}
