package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The silver.quarantine rows a quarantine replay re-runs. A row is a candidate while it is unresolved
 * ({@code resolved_by_run IS NULL}) and broke any of the given rules (any rule when none is given). Of the
 * candidates, a replay takes those tokenized with the current PII key id (the replay keeps their tokens) and,
 * when a business-date range is given, those whose business date lies in it: rows without a business date
 * (unparseable, unknown store) are only replayed without --from/--to, since their date is not known yet.
 */
public final class SelectQuarantineForReplay {

  /** Unresolved rows that broke any of {@code rules} (every rule when empty). */
  public static Dataset<Row> filterCandidates(Dataset<Row> quarantine, List<String> rules) {
    Column anyRule = rules.isEmpty() ? lit(true)
        : rules.stream().map(r -> array_contains(col("rule_ids"), r)).reduce(Column::or).orElseThrow();
    return quarantine.filter(col(ResolveQuarantine.RESOLVED_BY_RUN).isNull().and(anyRule));
  }

  /** True for a row tokenized with {@code keyId}. */
  public static Column sameKey(String keyId) {
    return col("pii_key_id").equalTo(lit(keyId));
  }

  /** True for a row whose business date lies in [from, to] (either bound may be open); always true without both. */
  public static Column inDateRange(LocalDate from, LocalDate to) {
    Column in = lit(true);
    if (from != null || to != null) {
      in = col("business_date").isNotNull();
    }
    if (from != null) {
      in = in.and(col("business_date").geq(lit(Date.valueOf(from))));
    }
    if (to != null) {
      in = in.and(col("business_date").leq(lit(Date.valueOf(to))));
    }
    return in;
  }

  /** The rows to replay, one per record_id (a record quarantined twice is one record). */
  public static Dataset<Row> apply(Dataset<Row> quarantine, List<String> rules, String keyId, LocalDate from,
      LocalDate to) {
    return filterCandidates(quarantine, rules).filter(sameKey(keyId).and(inDateRange(from, to)))
        .dropDuplicates("record_id");
  }

  private SelectQuarantineForReplay() {}
}
