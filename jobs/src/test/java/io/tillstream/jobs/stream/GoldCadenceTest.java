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
    // A micro-batch only records its days; the gold thread's first look after a start takes them at once.
    assertEquals(days(), cadence.due(0, days(D1)));
    assertEquals(new GoldCadence.Pending(0, days(D1)), cadence.dueNow(0));
    cadence.refreshed(cadence.dueNow(0), 0);
    assertEquals(GoldCadence.Pending.NONE, cadence.pending());
    // Within the interval: nothing is due, the days wait beside the checkpoint.
    assertEquals(days(), cadence.due(1, days(D2)));
    assertEquals(days(), cadence.due(2, days(D3, D2)));
    assertEquals(GoldCadence.Pending.NONE, cadence.dueNow(59_999));
    assertEquals(new GoldCadence.Pending(2, days(D2, D3)), cadence.pending());
    // A new cadence over the same checkpoint (a restarted stream) finds them.
    GoldCadence restarted = new GoldCadence(new Configuration(), checkpoint.toString(), Duration.ofMinutes(1));
    assertEquals(new GoldCadence.Pending(2, days(D2, D3)), restarted.pending());
    // Once the interval has passed: every pending day.
    GoldCadence.Pending due = cadence.dueNow(60_000);
    assertEquals(new GoldCadence.Pending(2, days(D2, D3)), due);
    // A micro-batch that records its days while that refresh runs keeps them for the next one.
    assertEquals(days(), cadence.due(3, days(D1)));
    cadence.refreshed(due, 60_000);
    assertEquals(new GoldCadence.Pending(3, days(D1)), cadence.pending());
    // A replayed micro-batch writes its days again; a refresh forgets only the micro-batches it covered.
    assertEquals(days(), cadence.due(3, days(D1)));
    GoldCadence.Pending upTo3 = cadence.pending();
    assertEquals(days(), cadence.due(4, days(D2)));
    cadence.refreshed(upTo3, 63_000);
    assertEquals(new GoldCadence.Pending(4, days(D2)), cadence.pending());
  }

  @Test
  void anIntervalOfZeroRefreshesEveryMicroBatchAndKeepsNothing(@TempDir Path checkpoint) {
    GoldCadence cadence = new GoldCadence(new Configuration(), checkpoint.toString(), Duration.ZERO);
    assertEquals(days(D1, D2), cadence.due(0, days(D1, D2)));
    assertEquals(days(D3), cadence.due(1, days(D3)));
    assertEquals(GoldCadence.Pending.NONE, cadence.pending());
    assertEquals(GoldCadence.Pending.NONE, cadence.dueNow(1_000_000));
  }

  private static SortedSet<LocalDate> days(LocalDate... d) {
    return new TreeSet<>(java.util.List.of(d));
  }
}
