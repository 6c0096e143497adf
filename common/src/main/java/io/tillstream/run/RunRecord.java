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

  /** Errors longer than this are cut (with " ...") so that one row stays readable. */
  static final int ERROR_CHARS = 2000;

  /** A record of run {@code runId} of {@code job}, started at {@code startedAt}: set what the run has, then end it. */
  public static Builder of(String runId, String job, Instant startedAt) {
    return new Builder(runId, job, startedAt);
  }

  /** What a run does not set stays empty: status SUCCEEDED, no input, dates, files, result, stages or error. */
  public static final class Builder {
    private final String runId;
    private final String job;
    private final Instant startedAt;
    private String status = "SUCCEEDED";
    private String input;
    private String dateFrom;
    private String dateTo;
    private long filesRead;
    private IngestResult result;
    private List<String> warningMessages = List.of();
    private Map<String, Long> stageMillis = Map.of();
    private Map<String, Long> tableVersions = Map.of();
    private String error;
    private LocalDate landingDate;
    private String referenceData;

    private Builder(String runId, String job, Instant startedAt) {
      this.runId = runId;
      this.job = job;
      this.startedAt = startedAt;
    }

    public Builder status(String status) {
      this.status = status;
      return this;
    }

    public Builder input(String input) {
      this.input = input;
      return this;
    }

    /** The business dates the run was limited to (either may be null). */
    public Builder dates(LocalDate from, LocalDate to) {
      this.dateFrom = from == null ? null : from.toString();
      this.dateTo = to == null ? null : to.toString();
      return this;
    }

    public Builder filesRead(long filesRead) {
      this.filesRead = filesRead;
      return this;
    }

    public Builder result(IngestResult result) {
      this.result = result;
      return this;
    }

    public Builder messages(List<String> warningMessages) {
      this.warningMessages = warningMessages;
      return this;
    }

    public Builder stages(Map<String, Long> stageMillis) {
      this.stageMillis = stageMillis;
      return this;
    }

    public Builder versions(Map<String, Long> tableVersions) {
      this.tableVersions = tableVersions;
      return this;
    }

    /** The error, cut to {@link #ERROR_CHARS} characters; null: none. */
    public Builder error(String error) {
      this.error = error == null || error.length() <= ERROR_CHARS ? error : error.substring(0, ERROR_CHARS) + " ...";
      return this;
    }

    public Builder landingDate(LocalDate landingDate) {
      this.landingDate = landingDate;
      return this;
    }

    /** The fingerprint of the reference files the run used. */
    public Builder referenceData(String referenceData) {
      this.referenceData = referenceData;
      return this;
    }

    public RunRecord finishedAt(Instant finishedAt) {
      return new RunRecord(runId, job, status, startedAt, finishedAt, input, dateFrom, dateTo, filesRead, result,
          warningMessages, stageMillis, tableVersions, error, landingDate, referenceData);
    }

    public RunRecord finishedNow() {
      return finishedAt(Instant.now());
    }
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
