package io.tillstream.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsLogTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final LocalDate D1 = LocalDate.parse("2025-03-10");
  private static final LocalDate D2 = D1.plusDays(1);
  private static final int FIRST_RELEASE_COLUMNS = RunRecord.SCHEMA.fieldIndex("landing_date");

  private static RunRecord run(String id, String job, String status, int minute, LocalDate landingDate) {
    Instant t = Instant.parse("2026-03-11T01:00:00Z").plusSeconds(60L * minute);
    return RunRecord.of(id, job, t).status(status).input("landing/date=" + landingDate).filesRead(1)
        .error(status.equals("FAILED") ? "boom" : null).landingDate(landingDate).finishedAt(t.plusSeconds(30));
  }

  @Test
  void anOpsRunsTableOfAnOlderReleaseGainsLandingDateAndKeepsItsRows(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.resolve("lake").toString());
    OpsLog log = new OpsLog(lake);
    assertEquals(Map.of(), log.latestStatusByLandingDate(List.of("daily"), D1, D2));
    // ops.runs as the first release wrote it: no landing_date (nor any later) column.
    Row old = RunRecord.of("batch-1", "batch", Instant.parse("2026-03-10T01:00:00Z")).input("in").filesRead(1)
        .finishedAt(Instant.parse("2026-03-10T01:01:00Z")).toRow();
    spark.createDataFrame(List.of(dropLast(old)), dropLast(RunRecord.SCHEMA)).write().format("delta")
        .save(Table.OPS_RUNS.path(lake.root()));
    assertEquals(Map.of(), log.latestStatusByLandingDate(List.of("daily"), D1, D2));

    log.append(run("daily-1", "daily", "FAILED", 0, D1));
    lake.append(Table.OPS_RUNS, spark.createDataFrame(List.of(run("daily-2", "daily", "SUCCEEDED", 1, D1).toRow(),
        run("backfill-1", "backfill", "SUCCEEDED", 2, D2).toRow(), run("backfill-2", "backfill", "FAILED", 3, D2)
        .toRow()), RunRecord.SCHEMA));

    List<Row> rows = lake.read(Table.OPS_RUNS).orderBy("started_at")
        .select(functions.col("run_id"), functions.col("landing_date")).collectAsList();
    assertEquals(5, rows.size());
    assertEquals("batch-1", rows.get(0).getString(0));
    assertNull(rows.get(0).get(1));
    assertEquals(D1, rows.get(1).getDate(1).toLocalDate());
    assertEquals(Map.of(D1, "SUCCEEDED", D2, "FAILED"),
        log.latestStatusByLandingDate(List.of("daily", "backfill"), D1, D2));
    assertEquals(Map.of(D1, "SUCCEEDED"), log.latestStatusByLandingDate(List.of("daily"), D1, D2));
    assertEquals(Map.of(D2, "FAILED"), log.latestStatusByLandingDate(List.of("daily", "backfill"), D2, D2));
  }

  private static Row dropLast(Row r) {
    return org.apache.spark.sql.RowFactory.create(Arrays.copyOf(
        scala.jdk.javaapi.CollectionConverters.asJava(r.toSeq()).toArray(), FIRST_RELEASE_COLUMNS));
  }

  private static org.apache.spark.sql.types.StructType dropLast(org.apache.spark.sql.types.StructType s) {
    return new org.apache.spark.sql.types.StructType(Arrays.copyOf(s.fields(), FIRST_RELEASE_COLUMNS));
  }

  /** ops.runs.reference_data: added to a table of the release before it by schema evolution. */
  @Test
  void anOpsRunsTableWithoutReferenceDataGainsItAndKeepsItsRows(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.resolve("lake").toString());
    Instant t = Instant.parse("2026-03-11T01:00:00Z");
    // The release before: landing_date, but no reference_data.
    int columns = RunRecord.SCHEMA.fieldIndex("reference_data");
    Row old = RunRecord.of("daily-1", "daily", t).input("landing/date=2026-03-10").filesRead(1)
        .landingDate(LocalDate.parse("2026-03-10")).finishedAt(t.plusSeconds(30)).toRow();
    spark.createDataFrame(List.of(RowFactory.create(Arrays.copyOf(
        scala.jdk.javaapi.CollectionConverters.asJava(old.toSeq()).toArray(), columns))),
        new StructType(Arrays.copyOf(RunRecord.SCHEMA.fields(), columns))).write().format("delta")
        .save(Table.OPS_RUNS.path(lake.root()));

    String fingerprint = "stores.csv@2026-03-11T00:58:00Z 92B sha256:e7057b2ff89d; products.csv@2026-03-11T00:58:00Z"
        + " 65B sha256:c0c01fbfaba1; fx_rates.csv@2026-03-11T00:59:30.250Z 70B sha256:0b54c06c4896";
    new OpsLog(lake).append(RunRecord.of("stream-1", "stream", t.plusSeconds(60)).input("files in").filesRead(1)
        .referenceData(fingerprint).finishedAt(t.plusSeconds(70)));

    List<String> rows = lake.read(Table.OPS_RUNS).orderBy("started_at")
        .selectExpr("concat_ws(' | ', run_id, coalesce(cast(landing_date AS STRING), 'null'),"
            + " coalesce(reference_data, 'null'))")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("daily-1 | 2026-03-10 | null", "stream-1 | null | " + fingerprint), rows);
  }
}
