package io.tillstream.run;

import static org.apache.spark.sql.functions.col;

import io.tillstream.gold.CustomerValue;
import io.tillstream.gold.DailySales;
import io.tillstream.gold.MonthlySales;
import io.tillstream.gold.ProductTrends;
import io.tillstream.gold.SuspiciousRules;
import io.tillstream.gold.SuspiciousTransactions;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

  public Map<String, Long> refresh(SortedSet<LocalDate> touched, SuspiciousRules rules, boolean publishParquet) {
    return refresh(touched, rules, publishParquet, null);
  }

  /**
   * As {@link #refresh(SortedSet, SuspiciousRules, boolean)}; {@code newAlerts}, when given, receives the
   * suspicious transactions that are not in the table yet, before the table is replaced (so an alert is sent
   * again, rather than lost, when the run is repeated after a crash).
   */
  public Map<String, Long> refresh(SortedSet<LocalDate> touched, SuspiciousRules rules, boolean publishParquet,
      Consumer<Dataset<Row>> newAlerts) {
    Map<String, Long> versions = new LinkedHashMap<>();
    if (touched.isEmpty() || !lake.exists(Table.SILVER_SALES_LINES)) {
      return versions;
    }
    Dataset<Row> silver = lake.read(Table.SILVER_SALES_LINES);
    LocalDate first = touched.first();
    LocalDate last = touched.last();

    timer.time("gold daily_sales", () -> {
      String in = inList(touched);
      versions.put(Table.GOLD_DAILY_SALES.qualifiedName(), lake.replaceWhere(Table.GOLD_DAILY_SALES,
          DailySales.compute(silver.filter("business_date IN (" + in + ")")), "business_date IN (" + in + ")"));
    });

    timer.time("gold monthly_sales", () -> {
      SortedSet<LocalDate> months = new TreeSet<>();
      touched.forEach(d -> {
        months.add(d.withDayOfMonth(1));
        months.add(d.withDayOfMonth(1).plusMonths(1));
      });
      Dataset<Row> lines = between(silver, months.first().minusMonths(1), months.last().plusMonths(1).minusDays(1));
      String in = inList(months);
      versions.put(Table.GOLD_MONTHLY_SALES.qualifiedName(), lake.replaceWhere(Table.GOLD_MONTHLY_SALES,
          MonthlySales.compute(lines).filter("month IN (" + in + ")"), "month IN (" + in + ")"));
    });

    timer.time("gold product_trends", () -> {
      LocalDate to = last.plusDays(ProductTrends.LOOKBACK_DAYS);
      Dataset<Row> lines = between(silver, first.minusDays(ProductTrends.LOOKBACK_DAYS), to);
      versions.put(Table.GOLD_PRODUCT_TRENDS.qualifiedName(), lake.replaceWhere(Table.GOLD_PRODUCT_TRENDS,
          ProductTrends.compute(lines, first, to), range(first, to)));
    });

    timer.time("gold suspicious_transactions", () -> {
      int back = rules.lookbackDays();
      LocalDate to = last.plusDays(back);
      Dataset<Row> lines = between(silver, first.minusDays(back), to);
      Dataset<Row> fresh = SuspiciousTransactions.compute(lines, rules, first, to);
      if (newAlerts != null) {
        fresh = fresh.localCheckpoint(true);
        newAlerts.accept(lake.exists(Table.GOLD_SUSPICIOUS_TRANSACTIONS)
            ? fresh.join(lake.read(Table.GOLD_SUSPICIOUS_TRANSACTIONS).filter(range(first, to))
                .select("rule_id", "event_id"), CollectionConverters.asScala(List.of("rule_id", "event_id")).toSeq(),
                "left_anti")
            : fresh);
      }
      versions.put(Table.GOLD_SUSPICIOUS_TRANSACTIONS.qualifiedName(), lake.replaceWhere(
          Table.GOLD_SUSPICIOUS_TRANSACTIONS, fresh, range(first, to)));
    });

    timer.time("gold customer_value", () -> versions.put(Table.GOLD_CUSTOMER_VALUE.qualifiedName(),
        lake.overwrite(Table.GOLD_CUSTOMER_VALUE, CustomerValue.compute(silver))));

    if (publishParquet) {
      timer.time("publish parquet", () -> Table.gold().forEach(lake::publishParquet));
    }
    return versions;
  }

  private static Dataset<Row> between(Dataset<Row> silver, LocalDate from, LocalDate to) {
    return silver.filter(col("business_date").between(Date.valueOf(from), Date.valueOf(to)));
  }

  private static String range(LocalDate from, LocalDate to) {
    return "business_date >= DATE'" + from + "' AND business_date <= DATE'" + to + "'";
  }

  private static String inList(SortedSet<LocalDate> dates) {
    return dates.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
  }
}
