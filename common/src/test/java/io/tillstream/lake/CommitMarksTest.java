package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tillstream.run.OpsLog;
import io.tillstream.run.RunRecord;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways a stream's micro-batch commits without Delta's transaction ids: commit marks that make a repeated
 * micro-batch skip what it had committed, and an append that commits only if no other writer changed the table since
 * it was read.
 */
class CommitMarksTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void aRepeatedMarkedWriteIsSkippedTableByTableAndOnlyWhenItMayBeARepeat(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.toString());
    lake.idempotently("stream-q1", 7, false, () -> lake.append(Table.OPS_RUNS, rows("a")));
    // The same (app, version) again, as a replay after a crash: the table already holds that commit.
    lake.idempotently("stream-q1", 7, () -> lake.append(Table.OPS_RUNS, rows("a")));
    assertEquals(List.of("a"), runIds(lake));
    // A new version is written; so is a repeat whose caller knows it cannot be one (no check, no cost).
    lake.idempotently("stream-q1", 8, () -> lake.append(Table.OPS_RUNS, rows("b")));
    lake.idempotently("stream-q1", 8, false, () -> lake.append(Table.OPS_RUNS, rows("b")));
    assertEquals(List.of("a", "b", "b"), runIds(lake));
    // Another query's mark with the same version is another micro-batch.
    lake.idempotently("stream-q2", 7, () -> lake.append(Table.OPS_RUNS, rows("c")));
    assertEquals(List.of("a", "b", "b", "c"), runIds(lake));
    // Outside a marked block nothing is checked, and the session keeps no mark.
    lake.append(Table.OPS_RUNS, rows("d"));
    assertEquals(5, runIds(lake).size());
    assertEquals(false, spark.conf().contains("spark.databricks.delta.commitInfo.userMetadata"));
  }

  @Test
  void anAppendDecidedOnAReadCommitsOnlyWhenNoOtherWriterAddedDataSince(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.toString());
    new OpsLog(lake).append(record("a"));
    Lake.ReadThenAppend mine = lake.readThenAppend(Table.OPS_RUNS);
    assertEquals(1, mine.read().count());
    assertEquals(lake.version(Table.OPS_RUNS) + 1, mine.append(rows("mine")));
    assertEquals(List.of("a", "mine"), runIds(lake));

    // Another writer's append lands between the read and the append, whether it read first or not: decide again.
    Lake.ReadThenAppend late = lake.readThenAppend(Table.OPS_RUNS);
    lake.readThenAppend(Table.OPS_RUNS).append(rows("other"));
    assertThrows(DeltaConcurrentModificationException.class, () -> late.append(rows("late")));
    Lake.ReadThenAppend later = lake.readThenAppend(Table.OPS_RUNS);
    lake.append(Table.OPS_RUNS, rows("blind"));
    assertThrows(DeltaConcurrentModificationException.class, () -> later.append(rows("later")));
    assertEquals(List.of("a", "blind", "mine", "other"), runIds(lake));
  }

  private static RunRecord record(String id) {
    Instant t = Instant.parse("2026-03-11T01:00:00Z");
    return RunRecord.of(id, "stream", t).input("kafka:sales").finishedAt(t.plusSeconds(1));
  }

  private Dataset<Row> rows(String id) {
    return spark.createDataFrame(List.of(record(id).toRow()), RunRecord.SCHEMA);
  }

  private static List<String> runIds(Lake lake) {
    return lake.read(Table.OPS_RUNS).orderBy("run_id").select("run_id").as(Encoders.STRING()).collectAsList();
  }
}
