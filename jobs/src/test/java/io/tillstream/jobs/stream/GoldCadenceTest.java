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

/** The stream's gold cadence, on a clock the test sets: what is due when, and what survives a restart. */
class GoldCadenceTest {
  private static final LocalDate D1 = LocalDate.of(2025, 3, 1);
  private static final LocalDate D2 = LocalDate.of(2025, 3, 2);
  private static final LocalDate D3 = LocalDate.of(2025, 3, 3);

  @Test
  void goldWaitsForTheIntervalThenTakesEveryDayTouchedSinceAndARestartKeepsThem(@TempDir Path checkpoint) {
    GoldCadence cadence = new GoldCadence(new Configuration(), checkpoint.toString(), Duration.ofMinutes(1));
    // The first micro-batch after a start refreshes at once.
    assertEquals(days(D1), cadence.due(0, days(D1), 0));
    cadence.refreshed(0, 0);
    assertEquals(days(), cadence.pending());
    // Within the interval: nothing is due, the days wait beside the checkpoint.
    assertEquals(days(), cadence.due(1, days(D2), 10_000));
    assertEquals(days(), cadence.due(2, days(D3, D2), 20_000));
    assertEquals(days(), cadence.dueWithoutNewDays(59_999));
    assertEquals(days(D2, D3), cadence.pending());
    // A new cadence over the same checkpoint (a restarted stream) finds them.
    GoldCadence restarted = new GoldCadence(new Configuration(), checkpoint.toString(), Duration.ofMinutes(1));
    assertEquals(days(D2, D3), restarted.pending());
    assertEquals(2, restarted.lastPendingBatch());
    // Once the interval has passed, with no new micro-batch: every pending day.
    assertEquals(days(D2, D3), cadence.dueWithoutNewDays(60_000));
    cadence.refreshed(2, 60_000);
    assertEquals(days(), cadence.pending());
    assertEquals(-1, cadence.lastPendingBatch());
    // A replayed micro-batch writes its days again; a refresh forgets only the micro-batches it covered.
    assertEquals(days(), cadence.due(3, days(D1), 61_000));
    assertEquals(days(), cadence.due(3, days(D1), 62_000));
    assertEquals(days(), cadence.due(4, days(D2), 63_000));
    cadence.refreshed(3, 63_000);
    assertEquals(days(D2), cadence.pending());
  }

  @Test
  void anIntervalOfZeroRefreshesEveryMicroBatchAndKeepsNothing(@TempDir Path checkpoint) {
    GoldCadence cadence = new GoldCadence(new Configuration(), checkpoint.toString(), Duration.ZERO);
    assertEquals(days(D1, D2), cadence.due(0, days(D1, D2), 0));
    assertEquals(days(D3), cadence.due(1, days(D3), 1));
    assertEquals(days(), cadence.pending());
    assertEquals(days(), cadence.dueWithoutNewDays(1_000_000));
  }

  private static SortedSet<LocalDate> days(LocalDate... d) {
    return new TreeSet<>(java.util.List.of(d));
  }
}
