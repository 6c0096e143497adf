package io.tillstream.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.pipeline.ResolveQuarantine;
import io.tillstream.pipeline.SalesPipeline;
import io.tillstream.quality.Disposition;
import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs the shared pipeline over a set of raw records and writes bronze, quarantine and silver idempotently
 * (keys: record_id, record_id, event_id + line_no), so a rerun or a replayed micro-batch adds nothing.
 */
public final class IngestRun {
  private final Lake lake;
  private final StageTimer timer;

  public IngestRun(Lake lake, StageTimer timer) {
    this.lake = lake;
    this.timer = timer;
  }

  /**
   * Event ids and content hashes accepted so far within {@code horizonDays} of the business dates of the records
   * to accept (empty before the first run): the duplicate check reads only those days of silver, so its cost does
   * not grow with the history. A redelivered event has its original business date; only a changed version more
   * than the horizon away from the first is not recognised (documented with dedup.horizon-days).
   */
  Dataset<Row> acceptedHistory(Dataset<Row> checked, int horizonDays) {
    Dataset<Row> none = lake.spark().emptyDataFrame().selectExpr("CAST(NULL AS STRING) AS event_id",
        "CAST(NULL AS STRING) AS content_hash").limit(0);
    if (!lake.exists(Table.SILVER_SALES_LINES)) {
      return none;
    }
    DateRanges windows = DateRanges.around(DateRanges.businessDates(
        checked.filter(col("disposition").equalTo(Disposition.ACCEPT.label()))), horizonDays, horizonDays);
    return windows.isEmpty() ? none : lake.read(Table.SILVER_SALES_LINES)
        .filter(windows.sql("business_date") + " AND line_no = 1").select("event_id", "content_hash");
  }

  public IngestResult ingest(Dataset<Row> raw, PipelineContext ctx, String runId, Timestamp ingestedAt) {
    return ingest(raw, ctx, runId, ingestedAt, null, 0);
  }

  /** How a quarantine replay writes, instead of appending to bronze and quarantine (see {@link #replay}). */
  public interface ReplayWrites {
    /** Updates the quarantine rows of the {@code classified} records; returns the table's new version. */
    long updateQuarantine(Dataset<Row> classified);
  }

  /**
   * Re-runs {@code records} records read back from silver.quarantine (PII already tokens: use a context
   * {@link PipelineContext#forRedactedInput() for redacted input}). Bronze holds them already and is left alone;
   * accepted records go to silver, then {@code writes} updates their quarantine rows. A replay that fails (a
   * fail-severity rule, not reconciled) writes nothing.
   */
  public IngestResult replay(Dataset<Row> raw, long records, PipelineContext ctx, String runId, Timestamp replayedAt,
      ReplayWrites writes) {
    return ingest(raw, ctx, runId, replayedAt, writes, records);
  }

  private IngestResult ingest(Dataset<Row> raw, PipelineContext ctx, String runId, Timestamp ingestedAt,
      ReplayWrites replay, long replayRecords) {
    // Cache the checked records once; decide duplicates on a narrow projection and materialize the (usually
    // small) decisions so the join back is a broadcast and the wide records are never shuffled.
    // A local checkpoint keeps Spark's binary rows as they are: much cheaper to build than the columnar cache
    // for these wide records, read only a few times, and it cuts the long lineage. Losing an executor fails the
    // run, which is then rerun (writes are idempotent).
    Dataset<Row> checked = timer.time("parse and check", () -> SalesPipeline.check(raw, ctx).localCheckpoint(true));
    Dataset<Row> decisions = SalesPipeline.duplicateDecisions(checked,
        acceptedHistory(checked, ctx.dedupHorizonDays()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      timer.time("deduplicate", () -> decisions.count());
      return write(SalesPipeline.resolveDuplicates(checked, decisions, ctx), ctx, runId, ingestedAt, replay,
          replayRecords);
    } finally {
      decisions.unpersist();
      checked.rdd().unpersist(false);
    }
  }

  private IngestResult write(Dataset<Row> events, PipelineContext ctx, String runId, Timestamp ingestedAt,
      ReplayWrites replay, long replayRecords) {
    Map<Disposition, Long> byDisposition = new EnumMap<>(Disposition.class);
    TreeSet<LocalDate> touched = new TreeSet<>();
    TreeSet<LocalDate> allDates = new TreeSet<>();
    timer.time("count", () -> {
      for (Row r : events.groupBy("disposition", "business_date").count().collectAsList()) {
        byDisposition.merge(Disposition.of(r.getString(0)), r.getLong(2), Long::sum);
        if (!r.isNullAt(1)) {
          allDates.add(r.getDate(1).toLocalDate());
        }
        if (!r.isNullAt(1) && (r.getString(0).equals(Disposition.ACCEPT.label())
            || r.getString(0).equals(Disposition.DUPLICATE.label()))) {
          touched.add(r.getDate(1).toLocalDate());
        }
      }
    });
    // Records read per source, with the first and last line (a Kafka offset range for a topic partition).
    Map<String, IngestResult.Span> spans = new TreeMap<>();
    timer.time("reconcile", () -> {
      for (Row r : events.groupBy("source_file").agg(countDistinct(col("source_line")), min("source_line"),
          max("source_line")).collectAsList()) {
        spans.put(r.getString(0), new IngestResult.Span(r.getLong(1), r.getLong(2), r.getLong(3)));
      }
    });
    long read = replay != null ? replayRecords : spans.values().stream().mapToLong(IngestResult.Span::records).sum();
    // Rule ids of rejected records and warning ids of accepted ones, counted in one pass.
    Map<String, Long> rejectedByRule = new TreeMap<>();
    Map<String, Long> warnings = new TreeMap<>();
    timer.time("count", () -> {
      for (Row r : events.select(col("disposition"), explode(expr("CASE WHEN disposition IN ("
              + Disposition.sqlList(Disposition.REJECTED) + ") THEN array_distinct(transform(violations, v -> v.rule))"
              + " WHEN disposition = " + Disposition.ACCEPT.sql() + " THEN quality_warnings END")).as("rule"))
          .groupBy(col("disposition").equalTo(Disposition.ACCEPT.lit()).as("warning"), col("rule")).count()
          .collectAsList()) {
        (r.getBoolean(0) ? warnings : rejectedByRule).put(r.getString(1), r.getLong(2));
      }
    });
    Dataset<Row> lines = SalesPipeline.salesLines(events, ctx)
        .withColumn("run_id", lit(runId)).withColumn("ingested_at", lit(ingestedAt));
    Row lineStats = lines.agg(count(lit(1)), sum(expr("CASE WHEN array_contains(quality_warnings, '"
        + QualityRules.UNKNOWN_SKU + "') THEN 1 ELSE 0 END"))).head();
    long lineCount = lineStats.getLong(0);
    long unknownSkuLines = lineStats.isNullAt(1) ? 0 : lineStats.getLong(1);
    if (unknownSkuLines > 0) {
      warnings.put(QualityRules.UNKNOWN_SKU, unknownSkuLines);
    }

    Map<String, Long> versions = new LinkedHashMap<>();
    if (replay == null) {
      Dataset<Row> bronze = SalesPipeline.bronze(events).withColumn("run_id", lit(runId))
          .withColumn("ingested_at", lit(ingestedAt)).withColumn("ingest_date", to_date(lit(ingestedAt)));
      versions.put(Table.BRONZE_SALES_EVENTS.qualifiedName(), timer.time("write bronze", () ->
          lake.insertNew(Table.BRONZE_SALES_EVENTS, bronze, List.of("record_id"), datesOrNull(allDates))));
      Dataset<Row> quarantine = ResolveQuarantine.withUnresolved(SalesPipeline.quarantine(events)
          .withColumn("run_id", lit(runId)).withColumn("quarantined_at", lit(ingestedAt))
          .withColumn("ingest_date", to_date(lit(ingestedAt))));
      versions.put(Table.SILVER_QUARANTINE.qualifiedName(), timer.time("write quarantine", () -> {
        lake.addMissingColumns(Table.SILVER_QUARANTINE);
        return lake.insertNew(Table.SILVER_QUARANTINE, quarantine, List.of("record_id"), datesOrNull(allDates));
      }));
    }

    List<String> failures = new ArrayList<>();
    long classified = byDisposition.values().stream().mapToLong(Long::longValue).sum();
    if (replay != null && classified != read) {
      failures.add(read + " record(s) replayed but " + classified + " classified: nothing written");
    }
    if (byDisposition.getOrDefault(Disposition.FAIL, 0L) > 0) {
      failures.add(byDisposition.get(Disposition.FAIL) + " record(s) broke rules with severity fail: "
          + ctx.severities().entrySet().stream().filter(e -> e.getValue() == Severity.FAIL
              && rejectedByRule.containsKey(e.getKey())).map(Map.Entry::getKey).collect(Collectors.joining(", ")));
    }
    if (unknownSkuLines > 0 && ctx.severities().get(QualityRules.UNKNOWN_SKU) == Severity.FAIL) {
      failures.add(unknownSkuLines + " line(s) with unknown skus and " + QualityRules.UNKNOWN_SKU
          + " has severity fail");
    }
    long acceptedLines = 0;
    if (failures.isEmpty() && byDisposition.getOrDefault(Disposition.ACCEPT, 0L) > 0) {
      versions.put(Table.SILVER_SALES_LINES.qualifiedName(), timer.time("write silver", () ->
          lake.insertNew(Table.SILVER_SALES_LINES, lines, List.of("event_id", "line_no"),
              "t.business_date IN (" + sqlDates(touched) + ")")));
      acceptedLines = lineCount;
    }
    if (replay != null && failures.isEmpty()) {
      versions.put(Table.SILVER_QUARANTINE.qualifiedName(), timer.time("update quarantine", () ->
          replay.updateQuarantine(events)));
    }
    long quarantined = Disposition.QUARANTINED.stream().mapToLong(d -> byDisposition.getOrDefault(d, 0L))
        .sum();
    return new IngestResult(read, byDisposition.getOrDefault(Disposition.ACCEPT, 0L), quarantined,
        byDisposition.getOrDefault(Disposition.DUPLICATE, 0L), byDisposition.getOrDefault(Disposition.DROP, 0L),
        byDisposition.getOrDefault(Disposition.OUT_OF_RANGE, 0L), acceptedLines, rejectedByRule, warnings,
        touched, versions, failures, spans);
  }

  /**
   * Prunes a MERGE to the partitions a record of this input can already be in: its business date, or the null
   * partition for records without one (the same record always gets the same date from the same reference data).
   */
  private static String datesOrNull(Set<LocalDate> dates) {
    return dates.isEmpty() ? "t.business_date IS NULL"
        : "(t.business_date IS NULL OR t.business_date IN (" + sqlDates(dates) + "))";
  }

  private static String sqlDates(Set<LocalDate> dates) {
    return dates.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
  }
}
