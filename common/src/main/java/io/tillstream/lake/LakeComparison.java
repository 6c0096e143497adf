package io.tillstream.lake;

import static org.apache.spark.sql.functions.col;

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

  /** One diff per compared table; {@code sample} rows of each side's surplus are kept for printing. */
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
      r = r.select(Arrays.stream(l.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new));
      Dataset<Row> onlyLeft = l.exceptAll(r).cache();
      Dataset<Row> onlyRight = r.exceptAll(l).cache();
      diffs.add(new TableDiff(t, l.count(), r.count(), render(onlyLeft, sample), render(onlyRight, sample),
          onlyLeft.count(), onlyRight.count()));
      onlyLeft.unpersist();
      onlyRight.unpersist();
    }
    return diffs;
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
