package io.tillstream.run;

import io.tillstream.gold.GoldTable;
import io.tillstream.gold.SuspiciousRules;
import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Recomputes the gold tables from silver for the business dates a run touched (and the later dates whose
 * figures depend on them), replacing exactly those partitions. Deterministic: the same silver gives the same gold.
 */
public final class GoldRefresh {
  private final Lake lake;
  private final StageTimer timer;

  public GoldRefresh(Lake lake, StageTimer timer) {
    this.lake = lake;
    this.timer = timer;
  }

  /**
   * Which gold tables a refresh keeps: all of them (the batch job, a micro-batch), or one of the stream's two gold
   * cadences: daily sales, which freshness is measured by, apart from the others, which cost more and matter less
   * by the second.
   */
  public enum Tables {
    ALL, DAILY_SALES, OTHERS;

    boolean includes(Table t) {
      return this == ALL || (this == DAILY_SALES) == (t == Table.GOLD_DAILY_SALES);
    }

    boolean customerValue() {
      return this != DAILY_SALES;
    }
  }

  /** Every gold table, as {@link #refresh(SortedSet, SuspiciousRules, int, boolean, Consumer, Tables)}. */
  public Map<String, Long> refresh(SortedSet<LocalDate> touched, SuspiciousRules rules, int horizonDays,
      boolean publishParquet, Consumer<Dataset<Row>> newAlerts) {
    return refresh(touched, rules, horizonDays, publishParquet, newAlerts, Tables.ALL);
  }

  /**
   * Refreshes every gold table for the {@code touched} dates. {@code horizonDays} is the duplicate check's horizon
   * (see {@link CustomerValueRefresh}). {@code newAlerts}, when given, receives the suspicious transactions that
   * are not in the table yet, before the table is replaced (so an alert is sent again, rather than lost, when the
   * run is repeated after a crash).
   */
  public Map<String, Long> refresh(SortedSet<LocalDate> touched, SuspiciousRules rules, int horizonDays,
      boolean publishParquet, Consumer<Dataset<Row>> newAlerts, Tables which) {
    Map<String, Long> versions = new LinkedHashMap<>();
    if (touched.isEmpty() || !lake.exists(Table.SILVER_SALES_LINES)) {
      return versions;
    }
    List<GoldTable> tables = GoldTable.byBusinessDate(rules).stream().filter(g -> which.includes(g.table())).toList();
    Dataset<Row> needed = neededSilver(tables, touched);
    // Every table at once for a whole refresh (the batch job, a micro-batch): small refreshes spend their time on
    // the driver (plans, Delta's log, commits), and that overlaps. The stream's gold threads refresh one table after
    // the other: beside running micro-batches, side by side took as long on two cores (13.2 s against 12.5 s for a
    // refresh of three days, docs/benchmarks.md) and took the CPU from the micro-batches all at once.
    boolean sideBySide = which == Tables.ALL;
    List<CompletableFuture<Map<String, Long>>> running = new ArrayList<>();
    try {
      if (sideBySide) {
        needed.count(); // the cache, built once before the tables read it at the same time
      }
      for (GoldTable g : tables) {
        Supplier<Map<String, Long>> refreshOne = () -> timer.time("gold " + g.table().tableName(), () -> {
          Dataset<Row> fresh = g.compute(needed, touched);
          if (newAlerts != null && g.table() == Table.GOLD_SUSPICIOUS_TRANSACTIONS) {
            fresh = fresh.localCheckpoint(true);
            newAlerts.accept(notYetIn(g, fresh, touched));
          }
          return Map.of(g.table().qualifiedName(), lake.replaceWhere(g.table(), fresh, g.replaced(touched)));
        });
        running.add(sideBySide ? SideBySide.start("tillstream-gold", refreshOne)
            : CompletableFuture.completedFuture(refreshOne.get()));
      }
      if (which.customerValue()) {
        Supplier<Map<String, Long>> customerValue = () -> timer.time("gold customer_value",
            () -> new CustomerValueRefresh(lake).refresh(horizonDays));
        running.add(sideBySide ? SideBySide.start("tillstream-gold", customerValue)
            : CompletableFuture.completedFuture(customerValue.get()));
      }
      SideBySide.awaitAll(running).forEach(versions::putAll);
    } finally {
      SideBySide.awaitQuietly(running);
      needed.unpersist(false);
    }
    if (publishParquet) {
      timer.time("publish parquet", () -> Table.gold().stream().filter(which::includes).forEach(lake::publishParquet));
    }
    return versions;
  }

  /**
   * One read of silver for every gold table: the days any of them needs, only the columns they read, cached for
   * the refresh (each table then filters to its own days).
   */
  private Dataset<Row> neededSilver(List<GoldTable> tables, SortedSet<LocalDate> touched) {
    DateRanges days = DateRanges.none();
    java.util.Set<String> columns = new java.util.LinkedHashSet<>();
    for (GoldTable g : tables) {
      days = days.union(g.silverNeeded(touched));
      columns.addAll(g.silverColumns());
    }
    Dataset<Row> needed = lake.read(Table.SILVER_SALES_LINES).filter(days.sql("business_date"))
        .selectExpr(columns.toArray(String[]::new));
    // Cached only when several tables read it: building the cache costs more than one read.
    return tables.size() > 1 ? needed.persist(StorageLevel.MEMORY_AND_DISK()) : needed;
  }

  /** The rows of {@code fresh} whose (rule, event) is not in the table yet. */
  private Dataset<Row> notYetIn(GoldTable g, Dataset<Row> fresh, SortedSet<LocalDate> touched) {
    if (!lake.exists(g.table())) {
      return fresh;
    }
    return fresh.join(lake.read(g.table()).filter(g.replaced(touched)).select("rule_id", "event_id"),
        CollectionConverters.asScala(List.of("rule_id", "event_id")).toSeq(), "left_anti");
  }
}
