package io.tillstream.jobs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.config.TillstreamConfig;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.run.IngestRun.RawWrites;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TableRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream appends bronze unless its checkpoint starts on a lake that already holds records of its source. */
class StreamRawWritesTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void aNewCheckpointAppendsUnlessBronzeHoldsItsSourceAndTheChoiceIsKeptBesideTheCheckpoint(@TempDir Path dir)
      throws Exception {
    String lakeRoot = dir.resolve("lake").toString();
    // An empty lake: append.
    assertEquals(RawWrites.APPEND, StreamRawWrites.decide(spark, kafka(lakeRoot, "sales", dir.resolve("c1"))));
    // Bronze holds another topic's records and a file's: a stream of topic sales still appends ...
    Lake lake = new Lake(spark, lakeRoot);
    lake.append(Table.BRONZE_SALES_EVENTS, TableRows.complete(Table.BRONZE_SALES_EVENTS, spark.sql(
        "SELECT * FROM VALUES ('kafka:returns/0', 1L), ('file:/landing/a.jsonl', 1L) AS t(source_file, source_line)")));
    assertEquals(RawWrites.APPEND, StreamRawWrites.decide(spark, kafka(lakeRoot, "sales", dir.resolve("c2"))));
    // ... a file stream does not, nor does a new checkpoint of topic returns (a replay of what bronze holds).
    assertEquals(RawWrites.INSERT_NEW, StreamRawWrites.decide(spark, files(lakeRoot, dir.resolve("c3"))));
    assertEquals(RawWrites.INSERT_NEW, StreamRawWrites.decide(spark, kafka(lakeRoot, "returns", dir.resolve("c4"))));
    assertEquals("INSERT_NEW", Files.readString(dir.resolve("c4").resolve("raw-writes")).trim());
    // The choice lives as long as the checkpoint: the first one still appends though bronze now holds records.
    assertEquals(RawWrites.APPEND, StreamRawWrites.decide(spark, kafka(lakeRoot, "returns", dir.resolve("c1"))));
  }

  private static StreamSettings kafka(String lake, String topic, Path checkpoint) {
    return new StreamSettings(StreamSettings.Source.KAFKA, "127.0.0.1:9092", topic, null, null, lake,
        checkpoint.toString(), Duration.ofSeconds(2), TillstreamConfig.defaults());
  }

  private static StreamSettings files(String lake, Path checkpoint) {
    return new StreamSettings(StreamSettings.Source.FILES, null, null, "/landing", null, lake, checkpoint.toString(),
        Duration.ofSeconds(2), TillstreamConfig.defaults());
  }
}
