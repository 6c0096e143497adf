package io.tillstream.gold;

import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Table;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A gold table kept from silver by business date: for a set of business dates whose silver lines changed, which
 * days of silver it reads and which of its rows it replaces. The gold refresh reads silver once for all of them.
 */
public interface GoldTable {

  Table table();

  /** The silver columns {@link #compute} reads. */
  List<String> silverColumns();

  /** The days of silver needed to recompute every row that depends on the {@code touched} dates. */
  DateRanges silverNeeded(SortedSet<LocalDate> touched);

  /** The rows replaced, as a SQL predicate on the table's date column. */
  String replaced(SortedSet<LocalDate> touched);

  /** Exactly the rows {@link #replaced} selects, from silver lines covering at least {@link #silverNeeded}. */
  Dataset<Row> compute(Dataset<Row> silver, SortedSet<LocalDate> touched);

  /** The gold tables kept by business date, in the order they are refreshed. */
  static List<GoldTable> byBusinessDate(SuspiciousRules rules) {
    return List.of(new DailySales(), new MonthlySales(), new ProductTrends(), new SuspiciousTransactions(rules));
  }
}
