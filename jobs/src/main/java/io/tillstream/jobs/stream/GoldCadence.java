package io.tillstream.jobs.stream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Gold on its own cadence ({@code stream.gold-interval}): silver is written by every micro-batch, the gold tables
 * by the stream's gold thread at most once per interval, for the days every micro-batch since the last refresh
 * touched. Those days are kept beside the checkpoint (one small file per micro-batch, written once its silver has
 * committed), so a crash or a stop between two refreshes loses none: the start refreshes them ({@link #pending}).
 * With interval 0 every micro-batch refreshes the gold of its own days, as the batch job does.
 */
final class GoldCadence {
  private final Configuration hadoop;
  private final Path folder;
  private final long intervalMillis;
  private long lastRefreshMillis = Long.MIN_VALUE;

  GoldCadence(Configuration hadoop, String checkpoint, Duration interval) {
    this.hadoop = hadoop;
    this.folder = new Path(checkpoint, "gold-pending");
    this.intervalMillis = interval.toMillis();
  }

  /** The days pending when they were read, and the latest micro-batch among those that left them (-1: none). */
  record Pending(long lastBatch, SortedSet<LocalDate> days) {
    static final Pending NONE = new Pending(-1, new TreeSet<>());
  }

  /**
   * Records the days micro-batch {@code batchId} touched. Returns them when gold is refreshed with every
   * micro-batch (interval 0); otherwise none: the gold thread takes them ({@link #dueNow}).
   */
  SortedSet<LocalDate> due(long batchId, SortedSet<LocalDate> touched) {
    if (intervalMillis == 0) {
      return touched;
    }
    if (!touched.isEmpty()) {
      write(batchId, touched);
    }
    return new TreeSet<>();
  }

  /** Every pending day when the interval has passed since the last refresh (or none happened yet), else none. */
  Pending dueNow(long nowMillis) {
    return intervalMillis > 0 && intervalPassed(nowMillis) ? pending() : Pending.NONE;
  }

  /** No refresh since the start, or the last one an interval ago. */
  private boolean intervalPassed(long nowMillis) {
    return lastRefreshMillis == Long.MIN_VALUE || nowMillis - lastRefreshMillis >= intervalMillis;
  }

  boolean everyMicroBatch() {
    return intervalMillis == 0;
  }

  /**
   * After a refresh of {@code done} committed: forgets those days (the files of micro-batches up to its last one;
   * a micro-batch that recorded its days meanwhile keeps them for the next refresh).
   */
  void refreshed(Pending done, long nowMillis) {
    lastRefreshMillis = nowMillis;
    if (intervalMillis == 0) {
      return;
    }
    try {
      FileSystem fs = folder.getFileSystem(hadoop);
      for (FileStatus f : list(fs)) {
        if (Long.parseLong(f.getPath().getName()) <= done.lastBatch()) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + folder, e);
    }
  }

  /** The days touched since the last gold refresh, by this run of the stream or an earlier one, read at once. */
  Pending pending() {
    SortedSet<LocalDate> days = new TreeSet<>();
    long last = -1;
    try {
      FileSystem fs = folder.getFileSystem(hadoop);
      for (FileStatus f : list(fs)) {
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

  private FileStatus[] list(FileSystem fs) throws IOException {
    if (!fs.exists(folder)) {
      return new FileStatus[0];
    }
    return fs.listStatus(folder, p -> p.getName().matches("\\d+"));
  }

  /** Written aside, then renamed: a reader sees the whole list or none (a replayed micro-batch writes it again). */
  private void write(long batchId, SortedSet<LocalDate> days) {
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
