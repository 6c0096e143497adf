package io.tillstream.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tillstream.gold.SuspiciousRules;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.pipeline.ResolveQuarantine;
import io.tillstream.pipeline.SelectQuarantineForReplay;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Quarantine replay: re-runs still-quarantined records (selected by rule and business date, see
 * {@link SelectQuarantineForReplay}) through the shared pipeline with the current reference data. The masked
 * record is all it needs: the parser keeps the tokens in it, so a replayed record has the customer and card tokens
 * and the record_id it had. Accepted records go to silver and gold is refreshed for their dates; their quarantine
 * rows, and those of duplicates of accepted records, get {@code resolved_by_run}/{@code resolved_at}; records that
 * fail again keep their row with the new rule ids, reason, severity and business date. Bronze is not touched.
 * Idempotent: resolved rows are never selected again, and a record failing the same way changes nothing.
 */
public final class QuarantineReplay {

  /** What the replay selected and did; {@code run} is null when nothing was selected. */
  public record Outcome(PipelineRun.Outcome run, IngestResult result, long candidates, long otherKey,
      long outsideRange, List<String> messages) {
    public boolean succeeded() {
      return run == null || run.succeeded();
    }

    /** replayed = accepted + still quarantined + duplicates + dropped. */
    public String reconciliation() {
      IngestResult r = result;
      long rest = r.read() - r.accepted() - r.quarantined() - r.duplicates() - r.dropped() - r.outOfRange();
      return String.format("replayed %d = accepted %d + still quarantined %d + duplicates %d + dropped %d -> %s",
          r.read(), r.accepted(), r.quarantined(), r.duplicates(), r.dropped(),
          rest == 0 ? "reconciled" : "NOT RECONCILED (difference " + rest + ")");
    }
  }

  public static Outcome run(Lake lake, PipelineContext ctx, SuspiciousRules suspicious, boolean publishParquet,
      List<String> rules, LocalDate from, LocalDate to, String runId, Timestamp replayedAt, StageTimer timer) {
    lake.addMissingColumns(Table.SILVER_QUARANTINE);
    Dataset<Row> quarantine = lake.read(Table.SILVER_QUARANTINE);
    String keyId = ctx.piiKey().id();

    Row stats = timer.time("select", () -> SelectQuarantineForReplay.filterCandidates(quarantine, rules)
        .agg(count(lit(1)), countWhere(SelectQuarantineForReplay.sameKey(keyId).unary_$bang()),
            countWhere(SelectQuarantineForReplay.sameKey(keyId)
                .and(SelectQuarantineForReplay.inDateRange(from, to).unary_$bang())))
        .head());
    long candidates = stats.getLong(0);
    long otherKey = stats.isNullAt(1) ? 0 : stats.getLong(1);
    long outsideRange = stats.isNullAt(2) ? 0 : stats.getLong(2);
    List<String> messages = new ArrayList<>();
    if (otherKey > 0) {
      messages.add(otherKey + " quarantined record(s) of these rules were tokenized with another PII key id than '"
          + keyId + "' and are left as they are (replay them with that key's TILLSTREAM_PII_KEY and _KEY_ID)");
    }

    // Materialized: the replay writes the table it selects from, and a repeated commit must see the same rows.
    Dataset<Row> selection = SelectQuarantineForReplay.apply(quarantine, rules, keyId, from, to)
        .select("record_id", "source_file", "source_line", "raw_record", "business_date")
        .localCheckpoint(true);
    long records = timer.time("select", selection::count);
    if (records == 0) {
      return new Outcome(null, empty(), candidates, otherKey, outsideRange, messages);
    }
    TreeSet<LocalDate> storedDates = new TreeSet<>();
    selection.select("business_date").distinct().collectAsList().stream().filter(r -> !r.isNullAt(0))
        .forEach(r -> storedDates.add(r.getDate(0).toLocalDate()));
    IngestRun.ReplayWrites writes = classified -> {
      Dataset<Row> updates = ResolveQuarantine.apply(classified, selection)
          .withColumn("resolved_by_run", lit(runId)).withColumn("resolved_at", lit(replayedAt))
          .localCheckpoint(true);
      long matched = updates.count();
      if (matched != records) { // cannot happen while redaction is idempotent; never silent if it does
        messages.add((records - matched) + " replayed record(s) re-parse to another record_id; their quarantine rows"
            + " are unchanged");
      }
      return lake.updateMatched(Table.SILVER_QUARANTINE, updates, List.of("record_id"), prune(storedDates),
          clauses());
    };
    Dataset<Row> raw = selection.select(col("source_file"), col("source_line"), col("raw_record").as("value"));
    PipelineRun.Outcome run = PipelineRun.replay(lake, raw, records,
        RunSpec.of(runId, replayedAt, ctx.forRedactedInput(), suspicious, publishParquet, timer), writes);
    return new Outcome(run, run.result(), candidates, otherKey, outsideRange, messages);
  }

  /**
   * The MERGE clauses. Only unresolved rows change (a concurrent replay may have resolved one meanwhile), and a
   * record failing exactly as before is not rewritten.
   */
  private static LinkedHashMap<String, Map<String, String>> clauses() {
    LinkedHashMap<String, Map<String, String>> c = new LinkedHashMap<>();
    c.put("s.resolved AND t.resolved_by_run IS NULL", Map.of(
        "resolved_by_run", "s.resolved_by_run", "resolved_at", "s.resolved_at"));
    c.put("NOT s.resolved AND t.resolved_by_run IS NULL AND NOT (t.rule_ids <=> s.rule_ids AND t.reason <=> s.reason"
        + " AND t.severity <=> s.severity AND t.business_date <=> coalesce(s.business_date, t.business_date))",
        Map.of("rule_ids", "s.rule_ids", "reason", "s.reason", "severity", "s.severity",
            "business_date", "coalesce(s.business_date, t.business_date)"));
    return c;
  }

  /** The partitions the replayed rows are stored in: their business dates and the null partition. */
  private static String prune(TreeSet<LocalDate> storedDates) {
    List<String> dates = storedDates.stream().map(d -> "DATE'" + d + "'").toList();
    String nullPartition = "t.business_date IS NULL";
    return dates.isEmpty() ? nullPartition
        : "(" + nullPartition + " OR t.business_date IN (" + String.join(", ", dates) + "))";
  }

  private static Column countWhere(Column condition) {
    return sum(when(condition, 1).otherwise(0)).cast("long");
  }

  private static IngestResult empty() {
    return new IngestResult(0, 0, 0, 0, 0, 0, 0, new TreeMap<>(), new TreeMap<>(), new TreeSet<>(),
        new LinkedHashMap<>(), List.of(), new TreeMap<>());
  }

  private QuarantineReplay() {}
}
