package io.tillstream.jobs.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What the ingest query's checkpoint says at a start. Structured Streaming writes a micro-batch's entry to the offset
 * log before it runs the micro-batch, and to the commit log after: when the newest entry of both is the same batch,
 * every micro-batch ever attempted finished, and the next one cannot repeat a crash's half-done work, so it appends
 * and skips the repeat check like any later one ({@link MicroBatchIngest}). Otherwise the newest offset entry is run
 * again, and that micro-batch inserts by key and checks.
 */
final class IngestCheckpoint {

  /** Where the ingest query of a stream keeps its checkpoint (offsets, commits, sources). */
  static String dir(StreamSettings s) {
    return s.checkpoint() + "/ingest";
  }

  /**
   * The newest committed batch id of the query whose checkpoint is {@code dir} when no batch beyond it was ever
   * started; empty when one was (or nothing ever committed).
   */
  static OptionalLong settledBatch(Configuration conf, String dir) {
    OptionalLong offsets = newest(conf, new Path(dir, "offsets"));
    OptionalLong commits = newest(conf, new Path(dir, "commits"));
    return offsets.isPresent() && offsets.equals(commits) ? commits : OptionalLong.empty();
  }

  /** The highest batch id among the log's entries (files named by their batch id; temporary and crc files skipped). */
  private static OptionalLong newest(Configuration conf, Path log) {
    try {
      FileSystem fs = log.getFileSystem(conf);
      if (!fs.exists(log)) {
        return OptionalLong.empty();
      }
      OptionalLong newest = OptionalLong.empty();
      for (FileStatus f : fs.listStatus(log)) {
        String name = f.getPath().getName();
        if (f.isFile() && name.matches("\\d{1,18}")) {
          long id = Long.parseLong(name);
          if (newest.isEmpty() || id > newest.getAsLong()) {
            newest = OptionalLong.of(id);
          }
        }
      }
      return newest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the checkpoint log " + log, e);
    }
  }

  private IngestCheckpoint() {}
}
