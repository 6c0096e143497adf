package io.tillstream.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;

/**
 * A set of business dates as disjoint, ascending [from, to] ranges: which days of a table a step reads or
 * replaces. Built from the dates a run touched, so one very late event adds its own few days, not the span.
 */
public final class DateRanges {
  /** A closed range of dates. */
  public record Range(LocalDate from, LocalDate to) {
    @Override
    public String toString() {
      return from + ".." + to;
    }
  }

  private static final DateRanges NONE = new DateRanges(List.of());

  private final List<Range> ranges;

  private DateRanges(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  public static DateRanges none() {
    return NONE;
  }

  /** One range, [from, to]. */
  public static DateRanges between(LocalDate from, LocalDate to) {
    return new DateRanges(List.of(new Range(from, to)));
  }

  /** Every date of {@code dates} widened to [d - before, d + after], overlapping or adjacent ranges merged. */
  public static DateRanges around(Collection<LocalDate> dates, int before, int after) {
    List<Range> out = new ArrayList<>();
    for (LocalDate d : new TreeSet<>(dates)) {
      add(out, new Range(d.minusDays(before), d.plusDays(after)));
    }
    return new DateRanges(out);
  }

  /** The union of {@code each} applied to every date: for ranges that depend on the date, like calendar months. */
  public static DateRanges union(SortedSet<LocalDate> dates, Function<LocalDate, Range> each) {
    List<Range> all = dates.stream().map(each).sorted((a, b) -> a.from().compareTo(b.from())).toList();
    List<Range> out = new ArrayList<>();
    all.forEach(r -> add(out, r));
    return new DateRanges(out);
  }

  /** Rows whose {@code column} lies in [from, to]; a null end is open. */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> filterBetween(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows, String column, LocalDate from, LocalDate to) {
    Column keep = lit(true);
    if (from != null) {
      keep = keep.and(col(column).geq(lit(Date.valueOf(from))));
    }
    if (to != null) {
      keep = keep.and(col(column).leq(lit(Date.valueOf(to))));
    }
    return rows.where(keep);
  }

  /** The distinct non-null business dates of {@code rows} (collected on the driver: a run's few days). */
  public static TreeSet<LocalDate> businessDates(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (org.apache.spark.sql.Row r : rows.select("business_date").distinct().collectAsList()) {
      if (!r.isNullAt(0)) {
        dates.add(r.getDate(0).toLocalDate());
      }
    }
    return dates;
  }

  public DateRanges union(DateRanges other) {
    List<Range> all = new ArrayList<>(ranges);
    all.addAll(other.ranges);
    all.sort((a, b) -> a.from().compareTo(b.from()));
    List<Range> out = new ArrayList<>();
    all.forEach(r -> add(out, r));
    return new DateRanges(out);
  }

  private static void add(List<Range> out, Range r) {
    Range last = out.isEmpty() ? null : out.get(out.size() - 1);
    if (last != null && !r.from().isAfter(last.to().plusDays(1))) {
      if (r.to().isAfter(last.to())) {
        out.set(out.size() - 1, new Range(last.from(), r.to()));
      }
    } else {
      out.add(r);
    }
  }

  public List<Range> ranges() {
    return ranges;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** A SQL predicate on {@code column} (for replaceWhere and MERGE conditions); false when empty. */
  public String sql(String column) {
    if (ranges.isEmpty()) {
      return "false";
    }
    return "(" + ranges.stream().map(r -> r.from().equals(r.to())
            ? column + " = DATE'" + r.from() + "'"
            : column + " BETWEEN DATE'" + r.from() + "' AND DATE'" + r.to() + "'")
        .collect(Collectors.joining(" OR ")) + ")";
  }

  /** The same predicate as a column, for filters. */
  public Column contains(String column) {
    Column any = lit(false);
    for (Range r : ranges) {
      any = any.or(col(column).between(Date.valueOf(r.from()), Date.valueOf(r.to())));
    }
    return any;
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
