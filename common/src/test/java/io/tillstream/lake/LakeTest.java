package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.tillstream.testing.SmallFiles;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What this JVM's cached Delta logs must not hide: a table created by another process. And a real commit race:
 * OPTIMIZE commits while a MERGE or a replaceWhere of the lake is between reading the table and committing. The
 * write must be repeated on the new version (its commit records the OPTIMIZE's version as the one it read) and
 * leave exactly the intended rows.
 */
class LakeTest {
  private static volatile CountDownLatch writeStarted;
  private static volatile CountDownLatch optimizeDone;

  private final SparkSession spark = SparkTestSession.get();

  /** Another process creates a table while this JVM watches: its first look found an empty {@code _delta_log}. */
  @Test
  void aTableAnotherProcessCreatesIsSeenAfterAnEarlierLookFoundNone(@TempDir Path dir) throws Exception {
    Lake lake = new Lake(spark, dir.resolve("lake").toString());
    Path table = dir.resolve("lake/gold/daily_sales");
    Files.createDirectories(table.resolve("_delta_log"));
    assertFalse(lake.exists(Table.GOLD_DAILY_SALES));

    Path elsewhere = dir.resolve("written-elsewhere");
    spark.range(3).write().format("delta").save(elsewhere.toString());
    try (Stream<Path> files = Files.walk(elsewhere)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = table.resolve(elsewhere.relativize(f));
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }

    assertTrue(lake.exists(Table.GOLD_DAILY_SALES));
    assertEquals(3, lake.read(Table.GOLD_DAILY_SALES).count());
    assertFalse(lake.exists(Table.GOLD_MONTHLY_SALES), "no directory at all");
  }

  @Test
  void aMergeAndAReplaceWhereThatLoseTheRaceToOptimizeAreRepeated(@TempDir Path dir) throws Exception {
    spark.udf().register("await_optimize", (UDF1<Long, Long>) id -> {
      writeStarted.countDown();
      if (!optimizeDone.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("OPTIMIZE did not finish");
      }
      return id;
    }, DataTypes.LongType);
    Lake lake = new Lake(spark, dir.resolve("lake").toString());
    Dataset<Row> rows = SmallFiles.rows(spark);
    SmallFiles.appendInCommits(lake, Table.SILVER_SALES_LINES, rows.filter("source_line < 200"), 2);
    TableMaintenance maintenance = new TableMaintenance(lake, Duration.ofHours(1), 1);

    // Insert the last 40 rows with the same MERGE the pipeline uses, racing an OPTIMIZE.
    Dataset<Row> late = rows.filter("source_line >= 200 AND await_optimize(source_line) >= 0");
    long merged = race(lake, maintenance, l -> l.insertNew(Table.SILVER_SALES_LINES, late,
        List.of("event_id", "line_no"), "t.business_date IS NOT NULL"));
    assertReadTheOptimizedVersion(lake, merged, "MERGE");
    assertEquals(240, lake.read(Table.SILVER_SALES_LINES).count());
    assertEquals(0, rows.exceptAll(lake.read(Table.SILVER_SALES_LINES).select(rows.columns()[0],
        java.util.Arrays.copyOfRange(rows.columns(), 1, rows.columns().length))).count());

    // Replace one business date, as the gold refresh does, racing an OPTIMIZE of the same partition.
    SmallFiles.appendInCommits(lake, Table.SILVER_SALES_LINES, rows.filter("business_date = DATE'2025-03-02'"), 2);
    Dataset<Row> replacement = rows.filter("business_date = DATE'2025-03-02' AND source_line < 100"
        + " AND await_optimize(source_line) >= 0");
    long replaced = race(lake, maintenance, l -> l.replaceWhere(Table.SILVER_SALES_LINES, replacement,
        "business_date = DATE'2025-03-02'"));
    assertReadTheOptimizedVersion(lake, replaced, "WRITE");
    assertEquals(List.of(80L, 33L, 80L), List.of(
        lake.read(Table.SILVER_SALES_LINES).filter("business_date = DATE'2025-03-01'").count(),
        lake.read(Table.SILVER_SALES_LINES).filter("business_date = DATE'2025-03-02'").count(),
        lake.read(Table.SILVER_SALES_LINES).filter("business_date = DATE'2025-03-03'").count()));
  }

  /** Runs {@code write}; once it is reading its source, OPTIMIZE commits, and only then may the write go on. */
  private long race(Lake lake, TableMaintenance maintenance, Function<Lake, Long> write) throws Exception {
    writeStarted = new CountDownLatch(1);
    optimizeDone = new CountDownLatch(1);
    CompletableFuture<Long> writing = CompletableFuture.supplyAsync(() -> write.apply(lake));
    try {
      assertTrue(writeStarted.await(2, TimeUnit.MINUTES), "the write did not start");
      long[] compacted = maintenance.optimize(Table.SILVER_SALES_LINES, List.of(), new ConflictRetry(1));
      assertTrue(compacted[0] > compacted[1], "OPTIMIZE compacted nothing: " + compacted[0]);
    } finally {
      optimizeDone.countDown();
    }
    return writing.get(2, TimeUnit.MINUTES);
  }

  /** The write's commit follows the OPTIMIZE and read the OPTIMIZE's version: it was repeated after it. */
  private void assertReadTheOptimizedVersion(Lake lake, long version, String operation) {
    List<Row> last = DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(lake.root())).history(2)
        .select("version", "operation", "readVersion").collectAsList();
    assertEquals(List.of(version, operation, version - 1),
        List.of(last.get(0).getLong(0), last.get(0).getString(1), last.get(0).getLong(2)), last.toString());
    assertEquals("OPTIMIZE", last.get(1).getString(1), last.toString());
  }
}
