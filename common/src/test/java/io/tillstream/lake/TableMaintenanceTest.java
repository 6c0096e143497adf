package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.tillstream.config.ConfigError;
import io.tillstream.testing.SmallFiles;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

class TableMaintenanceTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void compactsZOrdersAndVacuumsKeepingContentTimeTravelAndTheRetentionWindow(@TempDir Path dir) throws Exception {
    Lake lake = new Lake(spark, dir.resolve("lake").toString());
    Dataset<Row> rows = SmallFiles.rows(spark);
    appendPartitionedInCommits(lake, Table.SILVER_SALES_LINES, rows, 4);
    long beforeOptimize = lake.version(Table.SILVER_SALES_LINES);
    // Files no version references: one a running job has just written (not committed yet), one a crashed job
    // left two hours ago. Only the second is older than the retention.
    Path partition = dir.resolve("lake/silver/sales_lines/business_date=2025-03-01");
    Path running = Files.write(partition.resolve("part-running-job.snappy.parquet"), new byte[100]);
    Path crashed = Files.write(partition.resolve("part-crashed-job.snappy.parquet"), new byte[100]);
    Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

    TableMaintenance.Report r = new TableMaintenance(lake, Duration.ofHours(1), 5)
        .maintain(Table.SILVER_SALES_LINES, true, true);

    assertNull(r.error());
    assertEquals(List.of(12L, 3L), List.of(r.liveBefore().count(), r.liveAfter().count()), r.toString());
    assertEquals(List.of(12L, 3L), List.of(r.filesCompacted(), r.filesWritten()));
    assertEquals(List.of("store_id"), r.zorderBy(), "sku has no statistics in this table");
    // On storage: 12 committed + 2 loose files, then 3 compacted files more and the crashed job's file less.
    assertEquals(List.of(14L, 16L, 1L), List.of(r.storedBefore().count(), r.storedAfter().count(), r.vacuumed()));
    assertTrue(Files.exists(running), "a file younger than the retention survives VACUUM");
    assertFalse(Files.exists(crashed));
    assertEquals(List.of("partitioned by business_date, the layout before clustering: maintain --relayout rewrites"
        + " it clustered by business_date", "set delta.deletedFileRetentionDuration = interval 3600 seconds"),
        r.notes());

    assertSameRows(rows, lake.read(Table.SILVER_SALES_LINES));
    // The files OPTIMIZE replaced are within the window: time travel to before it still reads them.
    assertSameRows(rows, lake.readVersion(Table.SILVER_SALES_LINES, beforeOptimize));

    DeltaTable table = DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(lake.root()));
    Row optimize = table.history().filter("operation = 'OPTIMIZE'").head();
    Map<String, String> params = CollectionConverters.asJava(optimize.<scala.collection.Map<String, String>>getAs(
        "operationParameters"));
    assertEquals("[\"store_id\"]", params.get("zOrderBy"));
    assertEquals(Set.of("WRITE", "SET TBLPROPERTIES", "OPTIMIZE", "VACUUM START", "VACUUM END"),
        Set.copyOf(table.history().select("operation").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()));

    // A window longer than the log keeps (30 days by default) raises the log retention too; nothing to compact.
    TableMaintenance.Report longer = new TableMaintenance(lake, Duration.ofDays(40), 5)
        .maintain(Table.SILVER_SALES_LINES, false, false);
    assertEquals(List.of("set delta.deletedFileRetentionDuration = interval 3456000 seconds",
        "set delta.logRetentionDuration = interval 3456000 seconds"), longer.notes().subList(1, 3));
    assertEquals(List.of(0L, 0L, 3L), List.of(longer.filesCompacted(), longer.filesWritten(), longer.liveAfter().count()));
    Map<String, String> props = CollectionConverters.asJava(table.detail().head()
        .<scala.collection.Map<String, String>>getAs("properties"));
    assertEquals("interval 3456000 seconds", props.get("delta.logRetentionDuration"));
  }

  @Test
  void clusteredTablesCompactWithoutZOrderAndPartitionedOnesAreRewrittenClusteredOnRequest(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.resolve("lake").toString());
    Dataset<Row> rows = SmallFiles.rows(spark);
    SmallFiles.appendInCommits(lake, Table.SILVER_SALES_LINES, rows, 4);
    TableMaintenance maintenance = new TableMaintenance(lake, Duration.ofHours(1), 5);
    TableMaintenance.Report clustered = maintenance.maintain(Table.SILVER_SALES_LINES, true, false);
    assertNull(clustered.error());
    assertEquals(List.of(), clustered.zorderBy(), "Delta rejects ZORDER BY on a clustered table");
    assertEquals(List.of(4L, 1L), List.of(clustered.liveBefore().count(), clustered.liveAfter().count()));
    assertSameRows(rows, lake.read(Table.SILVER_SALES_LINES));

    // A lake written before clustering: the table partitioned by date.
    Lake old = new Lake(spark, dir.resolve("old").toString());
    appendPartitionedInCommits(old, Table.SILVER_SALES_LINES, rows, 2);
    long partitioned = old.version(Table.SILVER_SALES_LINES);
    TableMaintenance.Report relaid = new TableMaintenance(old, Duration.ofHours(1), 5)
        .maintain(Table.SILVER_SALES_LINES, false, false, true);
    assertNull(relaid.error());
    assertEquals("rewritten clustered by business_date (was partitioned by business_date)", relaid.notes().get(0));
    Row detail = DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(old.root())).detail().head();
    assertEquals(List.of(), detail.getList(detail.fieldIndex("partitionColumns")));
    assertEquals(List.of("business_date"), detail.getList(detail.fieldIndex("clusteringColumns")));
    assertEquals(List.of(6L, 1L), List.of(relaid.liveBefore().count(), relaid.liveAfter().count()));
    assertSameRows(rows, old.read(Table.SILVER_SALES_LINES));
    assertSameRows(rows, old.readVersion(Table.SILVER_SALES_LINES, partitioned));
    // replaceWhere on the date column works on the rewritten table as on a partitioned one.
    old.replaceWhere(Table.SILVER_SALES_LINES, rows.filter("business_date = DATE'2025-03-02'").limit(1),
        "business_date = DATE'2025-03-02'");
    assertEquals(SmallFiles.ROWS - SmallFiles.ROWS / SmallFiles.DATES + 1, old.read(Table.SILVER_SALES_LINES).count());
  }

  /** As {@link SmallFiles#appendInCommits}, in the layout of lakes written before clustering. */
  private static void appendPartitionedInCommits(Lake lake, Table t, Dataset<Row> rows, int commits) {
    for (int i = 0; i < commits; i++) {
      rows.filter("floor(source_line * " + commits + " / " + SmallFiles.ROWS + ") = " + i).coalesce(1).write()
          .format("delta").mode("append").partitionBy("business_date").save(t.path(lake.root()));
    }
  }

  @Test
  void aRetentionBelowOneHourIsRefused(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.toString());
    ConfigError e = assertThrows(ConfigError.class, () -> new TableMaintenance(lake, Duration.ofMinutes(59), 5));
    assertTrue(e.getMessage().contains("maintain.retention"), e.getMessage());
  }

  @Test
  void zOrderColumnsAreThoseWithStatisticsOutsideThePartitioning() {
    StructType schema = new StructType().add("business_date", DataTypes.DateType)
        .add("event", new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType))
        .add("store_id", DataTypes.StringType).add("sku", DataTypes.StringType);
    Set<String> partition = Set.of("business_date");
    // The struct's two leaves use up two indexed columns; the partition column none.
    assertEquals(Set.of("event", "store_id"),
        TableMaintenance.columnsWithStatistics(schema, partition, Map.of("delta.dataSkippingNumIndexedCols", "3")));
    assertEquals(Set.of("event", "store_id", "sku"), TableMaintenance.columnsWithStatistics(schema, partition,
        Map.of("delta.dataSkippingNumIndexedCols", "-1")));
    assertEquals(Set.of("event", "store_id", "sku"), TableMaintenance.columnsWithStatistics(schema, partition, Map.of()));
    assertEquals(Set.of("sku"), TableMaintenance.columnsWithStatistics(schema, partition,
        Map.of("delta.dataSkippingStatsColumns", "sku", "delta.dataSkippingNumIndexedCols", "3")));
  }

  private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    Dataset<Row> a = actual.select(expected.columns()[0], java.util.Arrays.copyOfRange(expected.columns(), 1,
        expected.columns().length));
    assertEquals(expected.count(), a.count());
    assertEquals(0, expected.exceptAll(a).count());
    assertEquals(0, a.exceptAll(expected).count());
  }
}
