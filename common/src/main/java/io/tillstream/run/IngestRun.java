package io.tillstream.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode_outer;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Observed;
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
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs the shared pipeline over a set of raw records and writes bronze, quarantine and silver idempotently: by key
 * (record_id, record_id, event_id + line_no) when the input may have been read before, so a rerun adds nothing;
 * appended when each record is read once ({@link RawWrites#APPEND}, a stream's micro-batch under commit marks).
 */
public final class IngestRun {
  private static final Logger LOG = LogManager.getLogger(IngestRun.class);
  /**
   * How bronze and quarantine rows reach their tables, and whether silver may be appended in a read-then-append
   * transaction ({@link Lake#readThenAppend}) rather than inserted by key.
   */
  public enum RawWrites {
    /** Insert the rows whose record_id is not there yet: the input may have been read before (files, a replay). */
    INSERT_NEW,
    /**
     * Blind appends: every record is read once (a stream's Kafka offsets or new files, whose record ids no other
     * source can produce), and a repeated micro-batch is stopped by {@link Lake#idempotently}'s commit marks.
     */
    APPEND
  }

  private final Lake lake;
  private final StageTimer timer;
  private final RawWrites rawWrites;

  public IngestRun(Lake lake, StageTimer timer) {
    this(lake, timer, RawWrites.INSERT_NEW);
  }

  public IngestRun(Lake lake, StageTimer timer, RawWrites rawWrites) {
    this.lake = lake;
    this.timer = timer;
    this.rawWrites = rawWrites;
  }

  /**
   * Event ids and content hashes accepted so far within {@code horizonDays} of the business dates of the records
   * to accept (empty before the first run): the duplicate check reads only those days of silver, so its cost does
   * not grow with the history. A redelivered event has its original business date; only a changed version more
   * than the horizon away from the first is not recognised (documented with dedup.horizon-days).
   */
  Dataset<Row> acceptedHistory(SortedSet<LocalDate> toAccept, int horizonDays, Lake.ReadThenAppend silver) {
    Dataset<Row> none = lake.spark().emptyDataFrame().selectExpr("CAST(NULL AS STRING) AS event_id",
        "CAST(NULL AS STRING) AS content_hash").limit(0);
    if (silver == null && !lake.exists(Table.SILVER_SALES_LINES)) {
      return none;
    }
    DateRanges windows = DateRanges.around(toAccept, horizonDays, horizonDays);
    return windows.isEmpty() ? none : (silver != null ? silver.read() : lake.read(Table.SILVER_SALES_LINES))
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
    // The business dates of the records to accept are observed while the checkpoint is built: no job of their own.
    Observation toAcceptDates = new Observation("business dates to accept");
    Dataset<Row> checked = timer.time("parse and check", () -> SalesPipeline.check(raw, ctx).observe(toAcceptDates,
        collect_set(when(col("disposition").equalTo(Disposition.ACCEPT.label()), col("business_date")))
            .as("dates")).localCheckpoint(true));
    // Appending records read once, silver is appended in a transaction opened before the duplicate check reads it:
    // it commits only if no other writer added lines since (else the keyed insert below decides again).
    Lake.ReadThenAppend silver = rawWrites == RawWrites.APPEND && replay == null
        && lake.exists(Table.SILVER_SALES_LINES) ? lake.readThenAppend(Table.SILVER_SALES_LINES) : null;
    Dataset<Row> decisions = SalesPipeline.duplicateDecisions(checked,
        acceptedHistory(observedDates(toAcceptDates), ctx.dedupHorizonDays(), silver))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      timer.time("deduplicate", () -> decisions.count());
      return write(SalesPipeline.resolveDuplicates(checked, decisions, ctx), ctx, runId, ingestedAt, replay,
          replayRecords, silver);
    } finally {
      decisions.unpersist();
      checked.rdd().unpersist(false);
    }
  }

  /** The dates {@code observed} collected, once the action that computed them has run. */
  private static SortedSet<LocalDate> observedDates(Observation observed) {
    Row row = Observed.row(observed, java.time.Duration.ofMinutes(1)).orElseThrow(() ->
        new IllegalStateException("the business dates observed while checking the records did not arrive"));
    SortedSet<LocalDate> dates = new TreeSet<>();
    row.<Object>getList(0).forEach(d -> dates.add(d instanceof LocalDate local ? local
        : ((java.sql.Date) d).toLocalDate()));
    return dates;
  }

  private IngestResult write(Dataset<Row> events, PipelineContext ctx, String runId, Timestamp ingestedAt,
      ReplayWrites replay, long replayRecords, Lake.ReadThenAppend silver) {
    Map<Disposition, Long> byDisposition = new EnumMap<>(Disposition.class);
    TreeSet<LocalDate> touched = new TreeSet<>();
    TreeSet<LocalDate> allDates = new TreeSet<>();
    // Records by disposition and business date, rule ids of rejected records and warning ids of accepted ones, in
    // one pass: a record is one row per rule it carries (one row with a null rule when none); pos 0 or null counts it.
    Map<String, Long> rejectedByRule = new TreeMap<>();
    Map<String, Long> warnings = new TreeMap<>();
    // The three counting jobs run side by side: on small inputs each is mostly driver time (samples batch: 1.5 s
    // one after the other, 1.0 s side by side).
    CompletableFuture<Void> counted = SideBySide.start("tillstream-count", () -> timer.time("count", () -> {
      for (Row r : events.select(col("disposition"), col("business_date"), posexplode_outer(expr("CASE WHEN"
              + " disposition IN (" + Disposition.sqlList(Disposition.REJECTED) + ") THEN array_distinct(transform("
              + "violations, v -> v.rule)) WHEN disposition = " + Disposition.ACCEPT.sql() + " THEN quality_warnings"
              + " END")).as(new String[] {"pos", "rule"}))
          .groupBy("disposition", "business_date", "rule")
          .agg(count(when(col("pos").isNull().or(col("pos").equalTo(0)), lit(1))), count(col("rule")))
          .collectAsList()) {
        String disposition = r.getString(0);
        if (r.getLong(3) > 0) {
          byDisposition.merge(Disposition.of(disposition), r.getLong(3), Long::sum);
        }
        if (!r.isNullAt(2)) {
          (disposition.equals(Disposition.ACCEPT.label()) ? warnings : rejectedByRule)
              .merge(r.getString(2), r.getLong(4), Long::sum);
        }
        if (!r.isNullAt(1)) {
          allDates.add(r.getDate(1).toLocalDate());
        }
        if (!r.isNullAt(1) && (disposition.equals(Disposition.ACCEPT.label())
            || disposition.equals(Disposition.DUPLICATE.label()))) {
          touched.add(r.getDate(1).toLocalDate());
        }
      }
      return null;
    }));
    // Records read per source, with the first and last line (a Kafka offset range for a topic partition).
    Map<String, IngestResult.Span> spans = new TreeMap<>();
    CompletableFuture<Void> reconciled = SideBySide.start("tillstream-count", () -> timer.time("reconcile", () -> {
      for (Row r : events.groupBy("source_file").agg(countDistinct(col("source_line")), min("source_line"),
          max("source_line")).collectAsList()) {
        spans.put(r.getString(0), new IngestResult.Span(r.getLong(1), r.getLong(2), r.getLong(3)));
      }
      return null;
    }));
    Dataset<Row> lines = SalesPipeline.salesLines(events, ctx)
        .withColumn("run_id", lit(runId)).withColumn("ingested_at", lit(ingestedAt));
    Row lineStats = timer.time("count lines", () -> lines.agg(count(lit(1)), sum(expr("CASE WHEN array_contains("
        + "quality_warnings, '" + QualityRules.UNKNOWN_SKU + "') THEN 1 ELSE 0 END"))).head());
    SideBySide.awaitAll(List.of(counted, reconciled));
    long read = replay != null ? replayRecords : spans.values().stream().mapToLong(IngestResult.Span::records).sum();
    long lineCount = lineStats.getLong(0);
    long unknownSkuLines = lineStats.isNullAt(1) ? 0 : lineStats.getLong(1);
    if (unknownSkuLines > 0) {
      warnings.put(QualityRules.UNKNOWN_SKU, unknownSkuLines);
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

    // Bronze and quarantine are written on threads of their own beside silver (SideBySide).
    Map<String, Long> versions = new LinkedHashMap<>();
    List<CompletableFuture<Long>> beside = new ArrayList<>();
    if (replay == null) {
      Dataset<Row> bronze = SalesPipeline.bronze(events).withColumn("run_id", lit(runId))
          .withColumn("ingested_at", lit(ingestedAt)).withColumn("ingest_date", to_date(lit(ingestedAt)));
      Dataset<Row> quarantine = ResolveQuarantine.withUnresolved(SalesPipeline.quarantine(events)
          .withColumn("run_id", lit(runId)).withColumn("quarantined_at", lit(ingestedAt))
          .withColumn("ingest_date", to_date(lit(ingestedAt))));
      lake.addMissingColumns(Table.SILVER_QUARANTINE);
      beside.add(SideBySide.start("tillstream-write", () ->
          timer.time("write bronze", () -> writeRaw(Table.BRONZE_SALES_EVENTS, bronze, allDates))));
      beside.add(SideBySide.start("tillstream-write", () ->
          timer.time("write quarantine", () -> writeRaw(Table.SILVER_QUARANTINE, quarantine, allDates))));
    }
    Long silverVersion = null;
    long acceptedLines = 0;
    if (failures.isEmpty() && byDisposition.getOrDefault(Disposition.ACCEPT, 0L) > 0) {
      try {
        silverVersion = timer.time("write silver", () -> writeSilver(lines, touched, silver));
      } catch (RuntimeException e) {
        SideBySide.awaitQuietly(beside); // no write left running; silver's error is the one reported
        throw e;
      }
      acceptedLines = lineCount;
    }
    List<Long> rawVersions = SideBySide.awaitAll(beside);
    if (replay == null) {
      versions.put(Table.BRONZE_SALES_EVENTS.qualifiedName(), rawVersions.get(0));
      versions.put(Table.SILVER_QUARANTINE.qualifiedName(), rawVersions.get(1));
    }
    if (silverVersion != null) {
      versions.put(Table.SILVER_SALES_LINES.qualifiedName(), silverVersion);
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
   * The accepted lines into silver: appended in {@code silver}'s transaction when there is one, else (or when another
   * writer added lines meanwhile) inserted by key, which leaves out what that writer added.
   */
  private long writeSilver(Dataset<Row> lines, Set<LocalDate> touched, Lake.ReadThenAppend silver) {
    if (silver != null) {
      try {
        return silver.append(lines);
      } catch (org.apache.spark.sql.delta.DeltaConcurrentModificationException e) {
        LOG.warn("silver changed while this run checked for duplicates ({}): inserting by key instead",
            e.getClass().getSimpleName());
      }
    }
    return lake.insertNew(Table.SILVER_SALES_LINES, lines, List.of("event_id", "line_no"),
        "t.business_date IN (" + sqlDates(touched) + ")");
  }

  private long writeRaw(Table t, Dataset<Row> rows, Set<LocalDate> dates) {
    return rawWrites == RawWrites.APPEND ? lake.append(t, rows)
        : lake.insertNew(t, rows, List.of("record_id"), datesOrNull(dates));
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
