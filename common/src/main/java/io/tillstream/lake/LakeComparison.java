package io.tillstream.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compares the silver and gold tables of two lakes row for row, ignoring ingest-time metadata (run ids, ingest
 * times, where a record was read from). Sales lines and gold are compared as multisets; quarantine as a set of
 * rejected records still quarantined (a record delivered twice is quarantined twice, with the same content; rows a
 * quarantine replay resolved are left out), without the free-text reason, whose duplicate_conflict detail names the
 * source position of the winner.
 */
public final class LakeComparison {
  /** Columns that say when or from where a row was ingested, not what it is. */
  private static final Map<Table, Set<String>> METADATA = Map.of(
      Table.SILVER_SALES_LINES, Set.of("run_id", "ingested_at", "source_file", "source_line"),
      Table.SILVER_QUARANTINE, Set.of("record_id", "source_file", "source_line", "reason", "run_id",
          "quarantined_at", "ingest_date"));

  public record TableDiff(Table table, long leftRows, long rightRows, List<String> onlyLeft,
      List<String> onlyRight, long onlyLeftCount, long onlyRightCount) {
    public boolean equal() {
      return onlyLeftCount == 0 && onlyRightCount == 0;
    }
  }

  public static List<Table> compared() {
    List<Table> out = new ArrayList<>(List.of(Table.SILVER_SALES_LINES, Table.SILVER_QUARANTINE));
    out.addAll(Table.gold());
    return out;
  }

  /** Marks the side a row comes from in the one-pass comparison below. */
  private static final String SIDE = "__lake_comparison_side";
  private static final String LEFT_N = "__lake_comparison_left";
  private static final String RIGHT_N = "__lake_comparison_right";

  /**
   * One diff per compared table; {@code sample} rows of each side's surplus are kept for printing. Each table is
   * compared in one pass: both sides' rows are counted per distinct row (what {@code exceptAll} does inside), and
   * the sizes and the surplus of each side are summed from those counts; the surplus rows are only read back when
   * there are any.
   */
  public static List<TableDiff> compare(Lake left, Lake right, int sample) {
    List<TableDiff> diffs = new ArrayList<>();
    for (Table t : compared()) {
      Dataset<Row> l = comparable(left, t);
      Dataset<Row> r = comparable(right, t);
      if (l == null || r == null) {
        long ln = l == null ? 0 : l.count();
        long rn = r == null ? 0 : r.count();
        diffs.add(new TableDiff(t, ln, rn, List.of(), List.of(), l == null ? 0 : ln, r == null ? 0 : rn));
        continue;
      }
      Column[] columns = Arrays.stream(l.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
      r = r.select(columns);
      Dataset<Row> counted = l.withColumn(SIDE, lit(1)).union(r.withColumn(SIDE, lit(2))).groupBy(columns)
          .agg(sum(when(col(SIDE).equalTo(1), 1L).otherwise(0L)).as(LEFT_N),
              sum(when(col(SIDE).equalTo(2), 1L).otherwise(0L)).as(RIGHT_N))
          .cache();
      Row totals = counted.agg(sum(col(LEFT_N)), sum(col(RIGHT_N)),
          sum(greatest(col(LEFT_N).minus(col(RIGHT_N)), lit(0L))),
          sum(greatest(col(RIGHT_N).minus(col(LEFT_N)), lit(0L)))).head();
      long onlyLeftCount = longOrZero(totals, 2);
      long onlyRightCount = longOrZero(totals, 3);
      diffs.add(new TableDiff(t, longOrZero(totals, 0), longOrZero(totals, 1),
          onlyLeftCount == 0 ? List.of() : surplus(counted, LEFT_N, RIGHT_N, columns, sample),
          onlyRightCount == 0 ? List.of() : surplus(counted, RIGHT_N, LEFT_N, columns, sample),
          onlyLeftCount, onlyRightCount));
      counted.unpersist();
    }
    return diffs;
  }

  private static long longOrZero(Row row, int i) {
    return row.isNullAt(i) ? 0L : row.getLong(i);
  }

  /** Up to {@code sample} rows one side has more often than the other, each as often as it is in surplus. */
  private static List<String> surplus(Dataset<Row> counted, String more, String less, Column[] columns,
      int sample) {
    Dataset<Row> rows = counted.filter(col(more).gt(col(less)))
        .withColumn(SIDE, explode(sequence(lit(1L), col(more).minus(col(less))))).select(columns);
    return render(rows, sample);
  }

  /** A readable report: one line per table, then the differing rows. */
  public static String report(List<TableDiff> diffs, String leftName, String rightName) {
    StringBuilder sb = new StringBuilder();
    for (TableDiff d : diffs) {
      sb.append(String.format("%-34s %s: %d rows, %s: %d rows -> %s%n", d.table().qualifiedName(), leftName,
          d.leftRows(), rightName, d.rightRows(), d.equal() ? "equal"
              : "DIFFERENT (" + d.onlyLeftCount() + " only in " + leftName + ", " + d.onlyRightCount()
                  + " only in " + rightName + ")"));
      d.onlyLeft().forEach(row -> sb.append("    - ").append(leftName).append(": ").append(row).append('\n'));
      d.onlyRight().forEach(row -> sb.append("    + ").append(rightName).append(": ").append(row).append('\n'));
    }
    return sb.toString();
  }

  private static Dataset<Row> comparable(Lake lake, Table t) {
    if (!lake.exists(t)) {
      return null;
    }
    Set<String> drop = METADATA.getOrDefault(t, Set.of());
    Dataset<Row> rows = lake.read(t);
    if (t == Table.SILVER_QUARANTINE && Arrays.asList(rows.columns()).contains("resolved_by_run")) {
      // What is still quarantined: a row a replay resolved is history, not a rejected record.
      rows = rows.filter(col("resolved_by_run").isNull()).drop("resolved_by_run", "resolved_at");
    }
    rows = rows.drop(drop.toArray(new String[0]));
    return t == Table.SILVER_QUARANTINE ? rows.distinct() : rows;
  }

  private static List<String> render(Dataset<Row> rows, int sample) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.limit(sample).collectAsList()) {
      out.add(r.toString());
    }
    return out;
  }

  private LakeComparison() {}
}
