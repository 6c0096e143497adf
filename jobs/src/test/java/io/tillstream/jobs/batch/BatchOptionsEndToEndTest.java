package io.tillstream.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Date ranges, severity overrides and Parquet publishing through the batch command on the samples. */
class BatchOptionsEndToEndTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String EVENTS = BatchEndToEndTest.SAMPLES.resolve("events").toString();
  private static final String DIMS = BatchEndToEndTest.SAMPLES.resolve("dims").toString();

  /** Runs the batch command on the samples into a new lake with extra arguments; returns that lake. */
  private Lake batchOnSamples(Path dir, int expectedExit, String... extra) {
    String lakeDir = dir.resolve("lake").toString();
    List<String> args = new java.util.ArrayList<>(List.of("batch", "--input", EVENTS, "--dims", DIMS, "--lake",
        lakeDir));
    args.addAll(List.of(extra));
    assertEquals(expectedExit, BatchEndToEndTest.run(args.toArray(new String[0])));
    return new Lake(spark, lakeDir);
  }

  private Row onlyRun(Lake lake) {
    List<Row> runs = lake.read(Table.OPS_RUNS).collectAsList();
    assertEquals(1, runs.size());
    return runs.get(0);
  }

  @Test
  void dateRangeLoadsOnlyThoseBusinessDatesAndCountsTheRestAsOutOfRange(@TempDir Path dir) {
    Lake lake = batchOnSamples(dir, 0, "--from", "2025-03-03", "--to", "2025-03-04");
    Row r = onlyRun(lake);
    assertEquals(310L, (long) r.getAs("read"));
    // Rule rejections do not depend on the range; of the two changed copies only hc-e-002 (3 March) is in it.
    assertEquals(16L, (long) r.getAs("quarantined"));
    long accepted = r.getAs("accepted");
    long outOfRange = r.getAs("out_of_range");
    long duplicates = r.getAs("duplicates");
    assertEquals(310L, accepted + 16 + duplicates + outOfRange);
    assertEquals(accepted, lake.read(Table.SILVER_SALES_LINES).select("event_id").distinct().count());
    assertTrue(accepted > 20 && outOfRange > 150, accepted + " / " + outOfRange);
    assertEquals(List.of("2025-03-03", "2025-03-04"), lake.read(Table.GOLD_DAILY_SALES)
        .selectExpr("cast(business_date as string)").distinct().orderBy("business_date").collectAsList().stream()
        .map(x -> x.getString(0)).toList());
    assertEquals(List.of(
        "[2025-03-03,NL-AMS-01,apparel,1,1,5.50,0.00,5.50,0.00,5.50,1]",
        "[2025-03-03,NL-AMS-01,grocery,2,3,30.00,1.00,29.00,0.00,29.00,2]",
        "[2025-03-04,NL-AMS-01,grocery,1,3,30.00,3.00,27.00,10.00,17.00,1]"),
        lake.read(Table.GOLD_DAILY_SALES).filter("store_id = 'NL-AMS-01'").orderBy("business_date", "category")
            .collectAsList().stream().map(Row::toString).toList());
  }

  @Test
  void aFailSeverityFailsTheRunAfterKeepingTheEvidence(@TempDir Path dir) {
    Lake lake = batchOnSamples(dir, 1, "--set", "quality.severity.unknown_store=fail");
    Row r = onlyRun(lake);
    assertEquals("FAILED", r.getAs("status"));
    assertTrue(((String) r.getAs("error")).contains("unknown_store"), (String) r.getAs("error"));
    assertFalse(lake.exists(Table.SILVER_SALES_LINES), "nothing is accepted by a failed run");
    assertEquals(1L, lake.read(Table.SILVER_QUARANTINE).filter("severity = 'fail'").count());
    assertEquals(17L, lake.read(Table.SILVER_QUARANTINE).count());
  }

  @Test
  void dropSeverityCountsDroppedRecordsAndParquetIsPublished(@TempDir Path dir) {
    Lake lake = batchOnSamples(dir, 0, "--set", "quality.severity.malformed_record=drop", "--set",
        "gold.publish-parquet=true");
    Row r = onlyRun(lake);
    assertEquals(2L, (long) r.getAs("dropped"));
    assertEquals(15L, (long) r.getAs("quarantined"));
    assertEquals(283L, (long) r.getAs("accepted"));
    assertEquals(true, r.getAs("reconciled"));
    assertEquals(0L, lake.read(Table.SILVER_QUARANTINE).filter("array_contains(rule_ids, 'malformed_record')").count());
    for (Table t : Table.gold()) {
      long published = spark.read().parquet(t.publishedPath(lake.root())).count();
      assertEquals(lake.read(t).count(), published, t.qualifiedName());
    }
    assertEquals(6L, spark.read().parquet(Table.GOLD_DAILY_SALES.publishedPath(lake.root()))
        .filter("store_id IN ('NL-AMS-01', 'US-BOS-01')").count());
  }
}
