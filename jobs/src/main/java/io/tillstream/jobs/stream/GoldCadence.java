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
 * at most once per interval, for the days every micro-batch since the last refresh touched. Those days are kept
 * beside the checkpoint (one small file per micro-batch, written before the micro-batch's own gold decision), so a
 * crash or a stop between two refreshes loses none: the first micro-batch after a start refreshes them, and so does
 * the start itself ({@link #pending}).
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

  /**
   * Records the days micro-batch {@code batchId} touched; returns every pending day when gold is due (the interval
   * has passed since the last refresh, or none happened since the start), else an empty set.
   */
  SortedSet<LocalDate> due(long batchId, SortedSet<LocalDate> touched, long nowMillis) {
    if (intervalMillis == 0) {
      return touched;
    }
    if (!touched.isEmpty()) {
      write(batchId, touched);
    }
    return intervalPassed(nowMillis) ? pending() : new TreeSet<>();
  }

  /** Between micro-batches: every pending day when the interval has passed since the last refresh, else none. */
  SortedSet<LocalDate> dueWithoutNewDays(long nowMillis) {
    return intervalMillis > 0 && intervalPassed(nowMillis) ? pending() : new TreeSet<>();
  }

  /** No refresh since the start, or the last one an interval ago. */
  private boolean intervalPassed(long nowMillis) {
    return lastRefreshMillis == Long.MIN_VALUE || nowMillis - lastRefreshMillis >= intervalMillis;
  }

  boolean everyMicroBatch() {
    return intervalMillis == 0;
  }

  /** After a refresh of what {@link #due} returned for {@code batchId} committed: forgets those days. */
  void refreshed(long batchId, long nowMillis) {
    lastRefreshMillis = nowMillis;
    if (intervalMillis == 0) {
      return;
    }
    try {
      FileSystem fs = folder.getFileSystem(hadoop);
      for (FileStatus f : list(fs)) {
        if (Long.parseLong(f.getPath().getName()) <= batchId) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + folder, e);
    }
  }

  /** The days touched since the last gold refresh, by this run of the stream or an earlier one. */
  SortedSet<LocalDate> pending() {
    SortedSet<LocalDate> days = new TreeSet<>();
    try {
      FileSystem fs = folder.getFileSystem(hadoop);
      for (FileStatus f : list(fs)) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()),
            StandardCharsets.UTF_8))) {
          r.lines().filter(l -> !l.isBlank()).map(LocalDate::parse).forEach(days::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder, e);
    }
    return days;
  }

  /** The latest micro-batch with pending days, or -1. */
  long lastPendingBatch() {
    try {
      long last = -1;
      for (FileStatus f : list(folder.getFileSystem(hadoop))) {
        last = Math.max(last, Long.parseLong(f.getPath().getName()));
      }
      return last;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder, e);
    }
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
