package io.tillstream.run;

import io.tillstream.lake.Table;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * One row of ops.runs; {@code landingDate} is the landing day a daily or backfill run read (else null);
 * {@code referenceData} the fingerprint of the reference files the run used (else null), see
 * {@link io.tillstream.dims.DimensionFiles#describe}.
 */
public record RunRecord(
    String runId, String job, String status, Instant startedAt, Instant finishedAt, String input,
    String dateFrom, String dateTo, long filesRead, IngestResult result, List<String> warningMessages,
    Map<String, Long> stageMillis, Map<String, Long> tableVersions, String error, LocalDate landingDate,
    String referenceData) {

  /** A run that read no reference data (or does not say which). */
  public RunRecord(String runId, String job, String status, Instant startedAt, Instant finishedAt, String input,
      String dateFrom, String dateTo, long filesRead, IngestResult result, List<String> warningMessages,
      Map<String, Long> stageMillis, Map<String, Long> tableVersions, String error, LocalDate landingDate) {
    this(runId, job, status, startedAt, finishedAt, input, dateFrom, dateTo, filesRead, result, warningMessages,
        stageMillis, tableVersions, error, landingDate, null);
  }

  /** A run that did not read a landing day (batch, stream). */
  public RunRecord(String runId, String job, String status, Instant startedAt, Instant finishedAt, String input,
      String dateFrom, String dateTo, long filesRead, IngestResult result, List<String> warningMessages,
      Map<String, Long> stageMillis, Map<String, Long> tableVersions, String error) {
    this(runId, job, status, startedAt, finishedAt, input, dateFrom, dateTo, filesRead, result, warningMessages,
        stageMillis, tableVersions, error, null);
  }

  /** ops.runs' columns, in order: the table's schema of record. */
  public static final StructType SCHEMA = Table.OPS_RUNS.schema();

  public Row toRow() {
    IngestResult r = result;
    return RowFactory.create(runId, job, status, Timestamp.from(startedAt), Timestamp.from(finishedAt),
        finishedAt.toEpochMilli() - startedAt.toEpochMilli(), input, dateFrom, dateTo, filesRead,
        r == null ? 0L : r.read(), r == null ? 0L : r.accepted(), r == null ? 0L : r.quarantined(),
        r == null ? 0L : r.duplicates(), r == null ? 0L : r.dropped(), r == null ? 0L : r.outOfRange(),
        r == null ? 0L : r.acceptedLines(), r != null && r.reconciles(),
        scalaMap(r == null ? Map.of() : r.rejectedByRule()), scalaMap(r == null ? Map.of() : r.warnings()),
        warningMessages.toArray(new String[0]), scalaMap(stageMillis), scalaMap(tableVersions), error,
        Date.valueOf(startedAt.atZone(ZoneOffset.UTC).toLocalDate()),
        landingDate == null ? null : Date.valueOf(landingDate), referenceData);
  }

  private static scala.collection.Map<String, Long> scalaMap(Map<String, Long> m) {
    return scala.jdk.javaapi.CollectionConverters.asScala(m);
  }
}
