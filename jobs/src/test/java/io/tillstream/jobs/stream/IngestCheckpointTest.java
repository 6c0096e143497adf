package io.tillstream.jobs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start after a clean stop knows its next micro-batch was never attempted; after a crash it does not. */
class IngestCheckpointTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void settledOnlyWhenTheNewestStartedMicroBatchCommitted(@TempDir Path dir) throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    assertEquals(OptionalLong.empty(), IngestCheckpoint.settledBatch(conf(), checkpoint), "no checkpoint yet");

    Path landing = Files.createDirectories(dir.resolve("landing"));
    Files.writeString(landing.resolve("a.jsonl"), "{\"event_id\":\"e-1\"}\n");
    runAvailableNow(landing, checkpoint);
    Files.writeString(landing.resolve("b.jsonl"), "{\"event_id\":\"e-2\"}\n");
    runAvailableNow(landing, checkpoint);
    // Two clean runs of one micro-batch each: batch 1 is the newest in both logs (crc files beside them ignored).
    assertEquals(OptionalLong.of(1), IngestCheckpoint.settledBatch(conf(), checkpoint));

    // A crash after Spark logged batch 2's offsets and before its commit: batch 2 runs again at the start.
    Files.copy(Path.of(checkpoint, "offsets", "1"), Path.of(checkpoint, "offsets", "2"));
    assertEquals(OptionalLong.empty(), IngestCheckpoint.settledBatch(conf(), checkpoint));
  }

  private org.apache.hadoop.conf.Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  private void runAvailableNow(Path landing, String checkpoint) throws Exception {
    VoidFunction2<Dataset<Row>, Long> nothing = (batch, id) -> { };
    spark.readStream().format("text").load(landing.toString()).writeStream()
        .option("checkpointLocation", checkpoint).trigger(Trigger.AvailableNow()).foreachBatch(nothing).start()
        .awaitTermination();
  }
}
