package io.tillstream.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ops.runs.reference_data: written by OpsLog, added to a table of the release before it by schema evolution. */
class OpsRunsReferenceDataTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void anOpsRunsTableWithoutReferenceDataGainsItAndKeepsItsRows(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.resolve("lake").toString());
    Instant t = Instant.parse("2026-03-11T01:00:00Z");
    // The release before: landing_date, but no reference_data.
    int columns = RunRecord.SCHEMA.fieldIndex("reference_data");
    Row old = new RunRecord("daily-1", "daily", "SUCCEEDED", t, t.plusSeconds(30), "landing/date=2026-03-10", null,
        null, 1, null, List.of(), Map.of(), Map.of(), null, LocalDate.parse("2026-03-10")).toRow();
    spark.createDataFrame(List.of(RowFactory.create(Arrays.copyOf(
        scala.jdk.javaapi.CollectionConverters.asJava(old.toSeq()).toArray(), columns))),
        new StructType(Arrays.copyOf(RunRecord.SCHEMA.fields(), columns))).write().format("delta")
        .save(Table.OPS_RUNS.path(lake.root()));

    String fingerprint = "stores.csv@2026-03-11T00:58:00Z 92B sha256:e7057b2ff89d; products.csv@2026-03-11T00:58:00Z"
        + " 65B sha256:c0c01fbfaba1; fx_rates.csv@2026-03-11T00:59:30.250Z 70B sha256:0b54c06c4896";
    new OpsLog(lake).append(new RunRecord("stream-1", "stream", "SUCCEEDED", t.plusSeconds(60), t.plusSeconds(70),
        "files in", null, null, 1, null, List.of(), Map.of(), Map.of(), null, null, fingerprint));

    List<String> rows = lake.read(Table.OPS_RUNS).orderBy("started_at")
        .selectExpr("concat_ws(' | ', run_id, coalesce(cast(landing_date AS STRING), 'null'),"
            + " coalesce(reference_data, 'null'))")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("daily-1 | 2026-03-10 | null", "stream-1 | null | " + fingerprint), rows);
  }
}
