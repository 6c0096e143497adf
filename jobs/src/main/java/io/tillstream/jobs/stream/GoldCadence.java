package io.tillstream.jobs.stream;

import io.tillstream.run.GoldRefresh;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Gold on its own cadences: silver is written by every micro-batch, the gold tables by the stream's gold threads,
 * daily sales at most once per {@code stream.gold-interval} and the other gold tables at most once per
 * {@code stream.gold-others-interval}, each for the days every micro-batch since its own last refresh touched.
 * Those days are kept beside the checkpoint, once per cadence (one small file per micro-batch in
 * {@code gold-pending} and in {@code gold-pending-others}, written once its silver has committed), so a crash or a
 * stop between two refreshes loses none, and a refresh of one cadence never clears what the other still owes:
 * the start refreshes every gold table for both ({@link #pending}). With interval 0 every micro-batch refreshes the
 * gold of its own days, as the batch job does.
 */
final class GoldCadence {
  /** The stream's two gold cadences and the folder beside the checkpoint where each keeps its pending days. */
  enum Tier {
    DAILY_SALES("gold-pending", GoldRefresh.Tables.DAILY_SALES),
    OTHERS("gold-pending-others", GoldRefresh.Tables.OTHERS);

    final String folder;
    final GoldRefresh.Tables tables;

    Tier(String folder, GoldRefresh.Tables tables) {
      this.folder = folder;
      this.tables = tables;
    }
  }

  private final Configuration hadoop;
  private final Map<Tier, Path> folders = new EnumMap<>(Tier.class);
  private final Map<Tier, Long> intervalMillis = new EnumMap<>(Tier.class);
  private final Map<Tier, Long> lastRefreshMillis = new ConcurrentHashMap<>();
  private final Map<Tier, Long> lastLengthMillis = new ConcurrentHashMap<>();
  /**
   * How many times its last refresh's length a cadence waits at least after it: the other tables' refresh is long
   * (tens of seconds at 1,000 events/s on two cores) and, every 30 s, it took half the machine from the
   * micro-batches (docs/benchmarks.md, sixth round). Daily sales waits its interval only.
   */
  private final Map<Tier, Integer> backoff = new EnumMap<>(Tier.class);

  /**
   * {@code dailySales} 0: every gold table with every micro-batch. {@code others} 0 with a positive
   * {@code dailySales}: the other tables on the daily sales' cadence. {@code othersBackoff}: the other tables wait
   * at least this many times their last refresh's length after it.
   */
  GoldCadence(Configuration hadoop, String checkpoint, Duration dailySales, Duration others, int othersBackoff) {
    this.hadoop = hadoop;
    for (Tier t : Tier.values()) {
      folders.put(t, new Path(checkpoint, t.folder));
    }
    intervalMillis.put(Tier.DAILY_SALES, dailySales.toMillis());
    intervalMillis.put(Tier.OTHERS, dailySales.isZero() ? 0 : Math.max(dailySales.toMillis(), others.toMillis()));
    backoff.put(Tier.DAILY_SALES, 0);
    backoff.put(Tier.OTHERS, othersBackoff);
  }

  /** The days pending when they were read, and the latest micro-batch among those that left them (-1: none). */
  record Pending(long lastBatch, SortedSet<LocalDate> days) {
    static final Pending NONE = new Pending(-1, new TreeSet<>());
  }

  /**
   * Records the days micro-batch {@code batchId} touched, for both cadences. Returns them when gold is refreshed
   * with every micro-batch (interval 0); otherwise none: the gold threads take them ({@link #dueNow}).
   */
  SortedSet<LocalDate> due(long batchId, SortedSet<LocalDate> touched) {
    if (everyMicroBatch()) {
      return touched;
    }
    if (!touched.isEmpty()) {
      for (Tier t : Tier.values()) {
        write(t, batchId, touched);
      }
    }
    return new TreeSet<>();
  }

  /**
   * Every day pending for {@code tier} when its interval, and its share of its last refresh's length, have passed
   * since that refresh ended (or none happened yet).
   */
  Pending dueNow(Tier tier, long nowMillis) {
    Long last = lastRefreshMillis.get(tier);
    long wait = Math.max(intervalMillis.get(tier), backoff.get(tier) * lastLengthMillis.getOrDefault(tier, 0L));
    boolean passed = last == null || nowMillis - last >= wait;
    return !everyMicroBatch() && passed ? pending(tier) : Pending.NONE;
  }

  /**
   * Whether the start must refresh what an earlier run left pending before the queries start: with gold every
   * micro-batch (no gold threads), or a checkpoint from before the second list existed, whose days in
   * {@code gold-pending} the other tables' thread would not see. Otherwise each gold thread takes its own list at its
   * first look, right after the start, beside the first micro-batch.
   */
  boolean refreshPendingAtStart() {
    if (everyMicroBatch()) {
      return true;
    }
    try {
      Path others = folders.get(Tier.OTHERS);
      return !others.getFileSystem(hadoop).exists(others) && !pending(Tier.DAILY_SALES).days().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folders.get(Tier.OTHERS), e);
    }
  }

  boolean everyMicroBatch() {
    return intervalMillis.get(Tier.DAILY_SALES) == 0;
  }

  /** The interval of {@code tier}. */
  Duration interval(Tier tier) {
    return Duration.ofMillis(intervalMillis.get(tier));
  }

  /**
   * After a refresh of {@code tier}'s tables for {@code done} committed: forgets those days for that cadence (the
   * files of micro-batches up to its last one; a micro-batch that recorded its days meanwhile keeps them).
   */
  void refreshed(Tier tier, Pending done, long nowMillis) {
    refreshed(tier, done, nowMillis, nowMillis);
  }

  /** As {@link #refreshed(Tier, Pending, long)} for a refresh that started at {@code startMillis}. */
  void refreshed(Tier tier, Pending done, long startMillis, long nowMillis) {
    lastRefreshMillis.put(tier, nowMillis);
    lastLengthMillis.put(tier, nowMillis - startMillis);
    Path folder = folders.get(tier);
    try {
      FileSystem fs = folder.getFileSystem(hadoop);
      for (FileStatus f : list(fs, folder)) {
        if (Long.parseLong(f.getPath().getName()) <= done.lastBatch()) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + folder, e);
    }
  }

  /** The days touched since {@code tier}'s last refresh, by this run of the stream or an earlier one, read at once. */
  Pending pending(Tier tier) {
    SortedSet<LocalDate> days = new TreeSet<>();
    long last = -1;
    Path folder = folders.get(tier);
    try {
      FileSystem fs = folder.getFileSystem(hadoop);
      for (FileStatus f : list(fs, folder)) {
        last = Math.max(last, Long.parseLong(f.getPath().getName()));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()),
            StandardCharsets.UTF_8))) {
          r.lines().filter(l -> !l.isBlank()).map(LocalDate::parse).forEach(days::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder, e);
    }
    return new Pending(last, days);
  }

  private static FileStatus[] list(FileSystem fs, Path folder) throws IOException {
    if (!fs.exists(folder)) {
      return new FileStatus[0];
    }
    return fs.listStatus(folder, p -> p.getName().matches("\\d+"));
  }

  /** Written aside, then renamed: a reader sees the whole list or none (a replayed micro-batch writes it again). */
  private void write(Tier tier, long batchId, SortedSet<LocalDate> days) {
    Path folder = folders.get(tier);
    try {
      FileSystem fs = folder.getFileSystem(hadoop);
      fs.mkdirs(folder);
      Path target = new Path(folder, Long.toString(batchId));
      Path aside = new Path(folder, "." + batchId + ".tmp");
      try (FSDataOutputStream out = fs.create(aside, true)) {
        for (LocalDate d : days) {
          out.write((d + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      fs.delete(target, false);
      if (!fs.rename(aside, target)) {
        throw new IOException("rename to " + target + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the gold days of micro-batch " + batchId + " in " + folder, e);
    }
  }
}
