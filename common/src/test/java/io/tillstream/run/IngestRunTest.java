package io.tillstream.run;

import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestRunTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String ITEM = "[{\"sku\":\"SKU-1\",\"quantity\":2,\"unit_price\":10.00}]";
  private static final String A = sale("e1", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR", ITEM);
  /** A changed version of A, 20 days later. */
  private static final String A_MOVED = A.replace("2025-03-07T10", "2025-03-27T10").replace("\"quantity\":2",
      "\"quantity\":5");

  @Test
  void theDuplicateCheckSearchesSilverOnlyWithinTheHorizonAroundTheRecordsDates(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.toString());
    assertEquals(List.of(1L, 0L, 0L), counts(ingest(lake, "first", A, 31)));
    // A redelivery has the original business date: found with any horizon, even 0.
    assertEquals(List.of(0L, 0L, 1L), counts(ingest(lake, "again", A, 0)));
    // A changed version 20 days away is a conflict within a 31-day horizon ...
    IngestResult conflict = ingest(lake, "moved", A_MOVED, 31);
    assertEquals(List.of(0L, 1L, 0L), counts(conflict));
    assertEquals(Map.of("duplicate_conflict", 1L), conflict.rejectedByRule());
    // ... and, by the documented policy, a new event beyond a 10-day one (silver of 17 March to 6 April only).
    assertEquals(List.of(1L, 0L, 0L), counts(ingest(lake, "moved-later", A_MOVED, 10)));
    assertEquals(2L, lake.read(Table.SILVER_SALES_LINES).filter("event_id = 'e1'").count());
  }

  @Test
  void aStreamAppendsBronzeQuarantineAndSilverAndStillFindsDuplicatesAcrossMicroBatches(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.toString());
    String b = sale("e2", "FR-PARIS-01", "2025-03-07T11:00:00+01:00", "EUR", ITEM);
    String c = sale("e3", "FR-PARIS-01", "2025-03-08T11:00:00+01:00", "EUR", ITEM);
    String broken = "{\"event_id\": \"e4\"";
    // The first micro-batch creates the tables; the second appends silver in its read-then-append transaction.
    assertEquals(List.of(2L, 1L, 0L), counts(append(lake, "kafka:sales/0", 0, A, b, broken)));
    IngestResult second = append(lake, "kafka:sales/0", 3, c, A, A_MOVED.replace("2025-03-27", "2025-03-07"));
    assertEquals(List.of(1L, 1L, 1L), counts(second));
    assertEquals(List.of("e1", "e2", "e3"), lake.read(Table.SILVER_SALES_LINES).orderBy("event_id")
        .select("event_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    // Every record read is in bronze once, every rejected one in the quarantine once.
    assertEquals(6, lake.read(Table.BRONZE_SALES_EVENTS).count());
    assertEquals(6, lake.read(Table.BRONZE_SALES_EVENTS).select("source_line").distinct().count());
    assertEquals(2, lake.read(Table.SILVER_QUARANTINE).count());
    io.delta.tables.DeltaTable silver = io.delta.tables.DeltaTable.forPath(spark,
        Table.SILVER_SALES_LINES.path(lake.root()));
    assertEquals("WRITE", silver.history(1).select("operation").first().getString(0));
    // A micro-batch of duplicates only leaves silver alone: no commit, no version in its result.
    long before = silver.history(1).select("version").first().getLong(0);
    IngestResult third = append(lake, "kafka:sales/0", 6, A);
    assertEquals(List.of(0L, 0L, 1L), counts(third));
    assertEquals(before, silver.history(1).select("version").first().getLong(0));
    assertEquals(false, third.tableVersions().containsKey(Table.SILVER_SALES_LINES.qualifiedName()));
    assertEquals(7, lake.read(Table.BRONZE_SALES_EVENTS).count());
  }

  private IngestResult append(Lake lake, String source, long firstOffset, String... lines) {
    java.util.List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      rows.add(org.apache.spark.sql.RowFactory.create(source, firstOffset + i, lines[i]));
    }
    return new IngestRun(lake, new StageTimer(), IngestRun.RawWrites.APPEND).ingest(
        spark.createDataFrame(rows, io.tillstream.contract.EventSchemas.RAW), TestData.context(spark), "run-"
            + firstOffset, Timestamp.from(TestData.NOW));
  }

  private IngestResult ingest(Lake lake, String file, String line, int horizonDays) {
    return new IngestRun(lake, new StageTimer()).ingest(TestData.raw(spark, file, line),
        TestData.context(spark).withDedupHorizonDays(horizonDays), "run-" + file,
        Timestamp.from(TestData.NOW));
  }

  private static List<Long> counts(IngestResult r) {
    return List.of(r.accepted(), r.quarantined(), r.duplicates());
  }
}
