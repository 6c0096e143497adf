package io.tillstream.quality;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** What became of one record: the value of the {@code disposition} column every classified record carries. */
public enum Disposition {
  /** Passed every rejecting rule (warn-severity rules may have fired); its lines go to silver. */
  ACCEPT,
  /** Same event id and content as a record already accepted (in the lake or earlier in the input). */
  DUPLICATE,
  /** Broke a rule of severity quarantine: kept in silver.quarantine with its reasons. */
  QUARANTINE,
  /** Broke a rule of severity fail: kept in silver.quarantine, and the run fails. */
  FAIL,
  /** Broke a rule of severity drop: counted in ops.runs, written nowhere else. */
  DROP,
  /** Accepted, but its business date lies outside the run's --from/--to range. */
  OUT_OF_RANGE;

  /** The records silver.quarantine keeps. */
  public static final Set<Disposition> QUARANTINED = EnumSet.of(QUARANTINE, FAIL);

  /** The records a rule rejected. */
  public static final Set<Disposition> REJECTED = EnumSet.of(QUARANTINE, FAIL, DROP);

  /** The value in the {@code disposition} column. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The label as a Spark SQL string literal. */
  public String sql() {
    return "'" + label() + "'";
  }

  /** The label as a Spark column literal. */
  public Column lit() {
    return functions.lit(label());
  }

  /** What a record that broke a rule of {@code severity} becomes; warn-severity rules reject nothing. */
  public static Disposition rejectedBy(Severity severity) {
    return switch (severity) {
      case QUARANTINE -> QUARANTINE;
      case FAIL -> FAIL;
      case DROP -> DROP;
      case WARN -> ACCEPT;
    };
  }

  /** {@code dispositions} as a Spark SQL list of literals, for {@code disposition IN (...)}. */
  public static String sqlList(Set<Disposition> dispositions) {
    return dispositions.stream().map(Disposition::sql).collect(Collectors.joining(", "));
  }

  /** The disposition labelled {@code label}. */
  public static Disposition of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
