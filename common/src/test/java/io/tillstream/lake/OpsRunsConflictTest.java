package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.tillstream.run.OpsLog;
import io.tillstream.run.RunRecord;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real commit race on ops.runs: a run's row is being appended (the way {@link OpsLog#append} does, under a
 * stream micro-batch's transaction id) while maintain sets the table's retention properties and compacts it. The
 * metadata change makes the append lose its commit (MetadataChangedException); it must be repeated and leave
 * exactly the intended rows, still under its transaction id.
 */
class OpsRunsConflictTest {
  private static volatile CountDownLatch appendStarted;
  private static volatile CountDownLatch maintenanceDone;

  private final SparkSession spark = SparkTestSession.get();

  private static Row run(String id, int minute) {
    Instant t = Instant.parse("2026-03-11T01:00:00Z").plusSeconds(60L * minute);
    return RunRecord.of(id, "stream", t).input("kafka:sales").finishedAt(t.plusSeconds(5)).toRow();
  }

  @Test
  void anOpsRunsAppendThatLosesTheRaceToMaintainIsRepeatedOnce(@TempDir Path dir) throws Exception {
    spark.udf().register("await_maintenance", (UDF1<String, String>) id -> {
      appendStarted.countDown();
      if (!maintenanceDone.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("maintenance did not finish");
      }
      return id;
    }, DataTypes.StringType);
    Lake lake = new Lake(spark, dir.resolve("lake").toString());
    OpsLog log = new OpsLog(lake);
    log.append(RunRecord.of("stream-0", "stream", Instant.parse("2026-03-11T00:59:00Z")).input("kafka:sales")
        .finishedAt(Instant.parse("2026-03-11T00:59:05Z")));
    log.append(RunRecord.of("stream-1", "stream", Instant.parse("2026-03-11T00:59:30Z")).input("kafka:sales")
        .finishedAt(Instant.parse("2026-03-11T00:59:35Z")));
    Dataset<Row> row = spark.createDataFrame(List.of(run("stream-2", 1)), RunRecord.SCHEMA)
        .filter("await_maintenance(run_id) IS NOT NULL");

    appendStarted = new CountDownLatch(1);
    maintenanceDone = new CountDownLatch(1);
    CompletableFuture<Long> appending = CompletableFuture.supplyAsync(() ->
        lake.idempotently("tillstream-stream-q1", 2, () -> lake.appendMergingSchema(Table.OPS_RUNS, row)));
    TableMaintenance.Report maintained;
    try {
      assertTrue(appendStarted.await(2, TimeUnit.MINUTES), "the append did not start");
      // A fresh table has Delta's 7-day retention: a one-hour window is a metadata change, then OPTIMIZE.
      maintained = new TableMaintenance(lake, Duration.ofHours(1), 1).maintain(Table.OPS_RUNS, false, false);
    } finally {
      maintenanceDone.countDown();
    }
    long appended = appending.get(2, TimeUnit.MINUTES);
    assertNull(maintained.error(), maintained.toString());
    assertEquals(2, maintained.filesCompacted(), maintained.toString());

    List<Row> last = DeltaTable.forPath(spark, Table.OPS_RUNS.path(lake.root())).history(3)
        .select("version", "operation", "readVersion").collectAsList();
    assertEquals(List.of(appended, "WRITE", appended - 1), List.of(last.get(0).getLong(0), last.get(0).getString(1),
        last.get(0).getLong(2)), "the append read the optimized version: " + last);
    assertEquals(List.of("OPTIMIZE", "SET TBLPROPERTIES"), List.of(last.get(1).getString(1),
        last.get(2).getString(1)), last.toString());
    assertEquals(List.of("stream-0", "stream-1", "stream-2"), runIds(lake));

    // The repeated commit kept the micro-batch's transaction id: a replay of that micro-batch appends nothing.
    lake.idempotently("tillstream-stream-q1", 2, () -> lake.appendMergingSchema(Table.OPS_RUNS,
        spark.createDataFrame(List.of(run("stream-2", 1)), RunRecord.SCHEMA)));
    assertEquals(List.of("stream-0", "stream-1", "stream-2"), runIds(lake));
  }

  private static List<String> runIds(Lake lake) {
    return lake.read(Table.OPS_RUNS).orderBy("run_id").select("run_id").as(Encoders.STRING()).collectAsList();
  }
}
