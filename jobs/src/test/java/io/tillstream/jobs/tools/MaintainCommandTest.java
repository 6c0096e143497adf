package io.tillstream.jobs.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.Main;
import io.tillstream.jobs.testing.Commands;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SmallFiles;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/** scripts/tillstream maintain in-process: the report, the ops.runs row, the table history through sql. */
class MaintainCommandTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void maintainReportsPerTableLogsTheRunAndTheHistoryIsQueryable(@TempDir Path dir) {
    String root = dir.resolve("lake").toString();
    Lake lake = new Lake(spark, root);
    SmallFiles.appendInCommits(lake, Table.SILVER_SALES_LINES, SmallFiles.rows(spark), 4);

    Commands.Result r = Commands.run(Map.of(), "maintain", "--lake", root, "--set",
        "maintain.zorder=true", "--set", "maintain.retention=2h", "--set", "maintain.retries=2");
    assertEquals(0, r.code(), r.out() + r.err());
    // Progress, one line per table (not a terminal), on standard error only.
    List<String> steps = r.err().lines().filter(l -> l.startsWith("maintain [")).toList();
    assertEquals(Table.values().length, steps.size(), r.err());
    assertTrue(steps.get(0).matches("maintain \\[ +\\d+\\.\\d s] 0/" + Table.values().length + " "
        + Table.values()[0].qualifiedName()), steps.get(0));
    assertTrue(!r.out().contains("maintain ["), r.out());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).matches("maintain maintain-\\d{8}T\\d{6}Z-\\w{8} SUCCEEDED in \\d+ ms "
        + "\\(retention 2h, z-order\\)"), lines.get(0));
    assertTrue(lines.get(1).startsWith("table  ") && lines.get(1).contains("live files"), lines.get(1));
    // live files 4 -> 1, compacted 4 -> 1, on storage 4 -> 5 (VACUUM keeps the replaced files for 2 hours). The
    // table is clustered by business_date, which OPTIMIZE maintains: no Z-order (Delta refuses it there).
    assertTrue(lines.get(2).matches("silver\\.sales_lines +4 -> 1 +\\S+ \\S+ -> \\S+ \\S+ +4 -> 1 +- +"
        + "4 -> 5 +0 +.*"), lines.get(2));
    assertEquals("  note: silver.sales_lines: set delta.deletedFileRetentionDuration = interval 7200 seconds",
        lines.get(3));
    assertTrue(r.out().contains("note: gold.daily_sales: not in the lake, skipped"), r.out());
    assertEquals(4 + Table.values().length - 1, lines.size(), r.out());

    Row run = lake.read(Table.OPS_RUNS).head();
    assertEquals(List.of("maintain", "SUCCEEDED", "silver.sales_lines"),
        List.of(run.getAs("job"), run.getAs("status"), run.getAs("input")));
    assertEquals(Map.of("silver.sales_lines", lake.version(Table.SILVER_SALES_LINES)),
        CollectionConverters.asJava(run.<scala.collection.Map<String, Long>>getAs("table_versions")));
    assertEquals(Set.of("optimize silver.sales_lines", "vacuum silver.sales_lines"),
        CollectionConverters.asJava(run.<scala.collection.Map<String, Long>>getAs("stage_ms")).keySet());

    ByteArrayOutputStream history = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"sql", "--lake", root, "DESCRIBE HISTORY silver.sales_lines"}, Map.of(),
        new PrintStream(history, true, StandardCharsets.UTF_8), System.err));
    List<String> csv = history.toString(StandardCharsets.UTF_8).lines().toList();
    assertTrue(csv.get(0).startsWith("version,timestamp,userId,userName,operation,operationParameters,"), csv.get(0));
    // Newest first: VACUUM END and START, OPTIMIZE (clustering), the retention, three appends, the creation holding
    // the first rows.
    assertEquals(List.of("7,VACUUM END", "6,VACUUM START", "5,OPTIMIZE", "4,SET TBLPROPERTIES"), csv.subList(1, 5)
        .stream().map(l -> l.substring(0, l.indexOf(',')) + "," + l.split(",")[4]).toList());
    assertTrue(csv.get(3).contains("business_date"), csv.get(3));
    assertEquals(1 + 8, csv.size());

    // Options: one table, the Z-order flag (ignored by a clustered table), no VACUUM: nothing left to compact.
    r = Commands.run(Map.of(), "maintain", "--lake", root, "--tables", "silver.sales_lines", "--zorder",
        "--no-vacuum");
    assertEquals(0, r.code(), r.out() + r.err());
    lines = r.out().lines().toList();
    assertTrue(lines.get(0).endsWith(" ms (retention 7d, z-order, no vacuum)"), lines.get(0));
    assertTrue(lines.get(2).matches("silver\\.sales_lines +1 -> 1 +.* +0 -> 0 +- +5 -> 5 +- +.*"), lines.get(2));
  }

  @Test
  void aLakeWithoutTablesIsAUsageError(@TempDir Path dir) {
    Commands.Result r = Commands.run(Map.of(), "maintain", "--lake", dir.resolve("none").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("error: no Tillstream tables under file:" + dir.resolve("none")), r.err());
    assertTrue(r.err().contains("usage: tillstream maintain"), r.err());
  }
}
