package io.tillstream.run;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.not;

import io.tillstream.gold.DailySales;
import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.lake.TableLayout;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Keeps gold.daily_sales by adding (the stream's daily sales cadence). It holds, for the business dates it refreshed
 * lately, each group's exact totals and the order ids and customer tokens already counted, as of one silver version.
 * A refresh reads only the lines silver gained since (Delta's change feed), counts an order or a customer as new only
 * when it is not held for its group, and rewrites the touched days from the sums: its cost follows the lines added,
 * not the size of the day. A day not held yet is read from silver once, at the held version. Lines changed rather
 * than added, a change feed that cannot be read, or a failure drop what is held, and the days are read afresh. The
 * rows written equal {@link DailySales#compute} over silver at the version read, which is what the batch job writes.
 *
 * <p>Not thread-safe: one gold thread uses it.
 */
public final class DailySalesKeeper {
  /** Days held at most by default; the least recently refreshed go first (a late line for one reads it again). */
  public static final int MAX_DAYS = 62;
  /** Held keys come in one piece per refresh; merged into one piece after this many. */
  private static final int MAX_PIECES = 8;
  private static final DailySales DAILY_SALES = new DailySales();
  private static final List<String> KEY_COLUMNS = List.of("business_date", "store_id", "category", "kind", "key");

  private final int maxDays;
  /** The held days, least recently refreshed first. */
  private final LinkedHashMap<LocalDate, Boolean> held = new LinkedHashMap<>(16, 0.75f, true);
  private final List<Dataset<Row>> keyPieces = new ArrayList<>();
  private Long heldVersion;
  private Dataset<Row> totals;

  public DailySalesKeeper() {
    this(MAX_DAYS);
  }

  DailySalesKeeper(int maxDays) {
    this.maxDays = maxDays;
  }

  /** The days a refresh wrote and the version of gold.daily_sales it committed (none when nothing was due). */
  public record Refreshed(SortedSet<LocalDate> days, Map<String, Long> versions) {}

  /** Refreshes gold.daily_sales for {@code pending} and every day with lines added to silver since the last refresh. */
  public Refreshed refresh(Lake lake, SortedSet<LocalDate> pending, StageTimer timer) {
    if (!lake.exists(Table.SILVER_SALES_LINES)) {
      return new Refreshed(new TreeSet<>(), Map.of());
    }
    Dataset<Row> added = null;
    try {
      boolean feedKept = TableLayout.ensureChangeFeed(lake, Table.SILVER_SALES_LINES);
      long version = lake.version(Table.SILVER_SALES_LINES);
      if (!feedKept || (heldVersion != null && heldVersion > version)) {
        forget();
      }
      if (heldVersion != null && heldVersion < version) {
        long from = heldVersion;
        added = timer.time("read added lines", () -> SilverAdditions.between(lake, from, version,
            DAILY_SALES.silverColumns()));
        if (added == null) {
          forget();
        }
      }
      SortedSet<LocalDate> days = new TreeSet<>(pending);
      if (added != null) {
        days.addAll(DateRanges.businessDates(added));
      }
      if (days.isEmpty()) {
        return new Refreshed(days, Map.of());
      }
      if (heldVersion == null) {
        hold(lake, days, version, timer);
      } else {
        TreeSet<LocalDate> missing = new TreeSet<>(days);
        missing.removeAll(held.keySet());
        if (!missing.isEmpty()) {
          hold(lake, missing, heldVersion, timer);
        }
        if (added != null) {
          Dataset<Row> lines = added;
          timer.time("add lines", () -> add(lines, days));
        }
      }
      heldVersion = version;
      days.forEach(d -> held.put(d, Boolean.TRUE));
      Dataset<Row> rows = DailySales.fromTotals(totals.filter(DateRanges.around(days, 0, 0).contains("business_date")));
      long written = timer.time("write", () -> lake.replaceWhere(Table.GOLD_DAILY_SALES, rows,
          DAILY_SALES.replaced(days)));
      evictBeyond(maxDays);
      return new Refreshed(days, Map.of(Table.GOLD_DAILY_SALES.qualifiedName(), written));
    } catch (RuntimeException e) {
      forget();
      throw e;
    } finally {
      if (added != null) {
        added.unpersist(false);
      }
    }
  }

  /** The days held now, oldest refresh first (for tests). */
  List<LocalDate> heldDays() {
    return List.copyOf(held.keySet());
  }

  /** Reads {@code days} (none held) from silver at {@code version}: their totals and their counted keys. */
  private void hold(Lake lake, SortedSet<LocalDate> days, long version, StageTimer timer) {
    timer.time("read days", () -> {
      Dataset<Row> lines = lake.readVersion(Table.SILVER_SALES_LINES, version)
          .filter(DateRanges.around(days, 0, 0).contains("business_date"))
          .selectExpr(DAILY_SALES.silverColumns().toArray(String[]::new))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Dataset<Row> dayTotals = DailySales.totals(lines);
        replaceTotals(totals == null ? dayTotals : totals.unionByName(dayTotals));
        keyPieces.add(materialized(DailySales.countedKeys(lines)));
      } finally {
        lines.unpersist(false);
      }
      days.forEach(d -> held.put(d, Boolean.TRUE));
    });
  }

  /** Adds {@code added} lines, all of held days, to the totals; their keys not held yet count as new. */
  private void add(Dataset<Row> added, SortedSet<LocalDate> days) {
    Dataset<Row> addedKeys = DailySales.countedKeys(added).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Column inDays = DateRanges.around(days, 0, 0).contains("business_date");
      Dataset<Row> heldKeys = keyPieces.stream().reduce(Dataset::union).orElseThrow().filter(inDays);
      // The held keys are many and the added ones few: find which added ones are held by streaming the held ones
      // past the added ones broadcast, then the rest is new.
      Dataset<Row> seen = heldKeys.join(broadcast(addedKeys), sameKey(heldKeys, addedKeys), "left_semi");
      Dataset<Row> newKeys = materialized(addedKeys.join(broadcast(seen), sameKey(addedKeys, seen), "left_anti"));
      replaceTotals(DailySales.plus(totals, added, newKeys));
      keyPieces.add(newKeys);
      if (keyPieces.size() > MAX_PIECES) {
        mergeKeyPieces();
      }
    } finally {
      addedKeys.unpersist(false);
    }
  }

  private static Column sameKey(Dataset<Row> left, Dataset<Row> right) {
    return KEY_COLUMNS.stream().map(c -> left.col(c).eqNullSafe(right.col(c))).reduce(Column::and).orElseThrow();
  }

  /** Drops the least recently refreshed days beyond {@code max}. */
  private void evictBeyond(int max) {
    if (held.size() <= max) {
      return;
    }
    List<LocalDate> oldest = new ArrayList<>(held.keySet()).subList(0, held.size() - max);
    oldest.forEach(held::remove);
    Column evicted = DateRanges.around(new TreeSet<>(oldest), 0, 0).contains("business_date");
    replaceTotals(totals.filter(not(evicted)));
    mergeKeyPieces();
  }

  /** One key piece of the held days in place of several. */
  private void mergeKeyPieces() {
    Column heldDays = DateRanges.around(new TreeSet<>(held.keySet()), 0, 0).contains("business_date");
    Dataset<Row> merged = materialized(keyPieces.stream().reduce(Dataset::union).orElseThrow().filter(heldDays));
    keyPieces.clear();
    keyPieces.add(merged);
  }

  private void replaceTotals(Dataset<Row> next) {
    totals = materialized(next);
  }

  /** Drops everything held: the next refresh reads its days from silver. */
  private void forget() {
    keyPieces.clear();
    totals = null;
    held.clear();
    heldVersion = null;
  }

  /**
   * Computed now and kept on the executors, with a plan that no longer holds how: what is held is built from what
   * was held before, and plans that grew with every refresh would take longer to plan each time. Spark frees the
   * blocks once nothing refers to the result any more.
   */
  private static Dataset<Row> materialized(Dataset<Row> rows) {
    return rows.localCheckpoint(true);
  }
}
