package io.tillstream.jobs.stream;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.run.IngestRun.RawWrites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * How a stream's micro-batches write bronze and quarantine, decided once per checkpoint and kept beside it (file
 * {@code raw-writes}). A stream reads each record once, so it appends, unless its checkpoint started on a lake whose
 * bronze already holds records of the same source (a Kappa replay of a topic into the lake it once filled, a file
 * stream over files a batch read): then it inserts by record_id for as long as the checkpoint lives, so nothing
 * already there is added twice. A micro-batch that may be a repeat of one a crash interrupted inserts by key
 * anyway ({@link MicroBatchIngest}).
 */
final class StreamRawWrites {
  private static final String FILE = "raw-writes";

  static RawWrites decide(SparkSession spark, StreamSettings s) {
    Path file = new Path(s.checkpoint(), FILE);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(file)) {
        try (var in = fs.open(file)) {
          return RawWrites.valueOf(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
      }
      boolean resumed = fs.exists(new Path(IngestCheckpoint.dir(s), "commits"));
      RawWrites chosen = !resumed && bronzeHoldsSource(new Lake(spark, s.lake()), s) ? RawWrites.INSERT_NEW
          : RawWrites.APPEND;
      fs.mkdirs(file.getParent());
      try (FSDataOutputStream out = fs.create(file, true)) {
        out.write((chosen.name() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return chosen;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or record " + file, e);
    }
  }

  /** Whether bronze holds a record this stream's source could deliver again (one look at source_file). */
  private static boolean bronzeHoldsSource(Lake lake, StreamSettings s) {
    if (!lake.exists(Table.BRONZE_SALES_EVENTS)) {
      return false;
    }
    String filter = s.source() == StreamSettings.Source.KAFKA
        ? "startswith(source_file, 'kafka:" + s.topic().replace("'", "''") + "/')"
        : "NOT startswith(source_file, 'kafka:')";
    return !lake.read(Table.BRONZE_SALES_EVENTS).select("source_file").filter(filter).limit(1).isEmpty();
  }

  private StreamRawWrites() {}
}
