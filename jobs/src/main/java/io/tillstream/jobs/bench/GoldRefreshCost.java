package io.tillstream.jobs.bench;

import io.tillstream.gold.SuspiciousRules;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import io.tillstream.lake.Table;
import io.tillstream.run.DailySalesKeeper;
import io.tillstream.run.GoldRefresh;
import io.tillstream.run.StageTimer;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * What one gold refresh costs on an existing lake, table by table: the refresh of the business dates FROM..TO for
 * the given tables (all, daily_sales or others, as the stream's gold cadences split them), K times in one JVM
 * with the stream's settings (two cores, two shuffle partitions, expressions interpreted), each run's stages in
 * milliseconds. It rewrites those days of gold with what they already hold.
 *
 * <p>With {@code keeper} in place of the tables: daily sales kept by adding ({@link DailySalesKeeper}); each of the K
 * refreshes after the first follows an append to silver of 5,000 of its lines again under new event ids (the lake
 * grows: use a copy).
 *
 * <p>usage: GoldRefreshCost LAKE FROM TO [K] [all|daily_sales|others|keeper] [interpreted|compiled]
 */
public final class GoldRefreshCost {

  public static void main(String[] args) {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (LocalDate d = LocalDate.parse(args[1]); !d.isAfter(LocalDate.parse(args[2])); d = d.plusDays(1)) {
      days.add(d);
    }
    int k = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String which = args.length > 4 ? args[4] : "all";
    boolean compiled = args.length > 5 && args[5].equals("compiled");
    SparkSession spark = SparkSessions.getOrCreate("tillstream-bench-gold", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.sql.codegen.wholeStage", Boolean.toString(compiled),
        "spark.sql.codegen.factoryMode", compiled ? "FALLBACK" : "NO_CODEGEN"));
    Lake lake = new Lake(spark, args[0]);
    if (which.equals("keeper")) {
      keeper(lake, days, k);
      spark.stop();
      return;
    }
    GoldRefresh.Tables tables = GoldRefresh.Tables.valueOf(which.toUpperCase());
    for (int i = 0; i < k; i++) {
      StageTimer timer = new StageTimer();
      long start = System.nanoTime();
      new GoldRefresh(lake, timer).refresh(days, SuspiciousRules.defaults(), 31, false, null, tables);
      System.out.printf("refresh %d of %s, %d day(s): %d ms %s%n", i + 1, tables, days.size(),
          (System.nanoTime() - start) / 1_000_000, timer.ordered());
    }
    spark.stop();
  }

  private static void keeper(Lake lake, TreeSet<LocalDate> days, int k) {
    DailySalesKeeper keeper = new DailySalesKeeper();
    for (int i = 0; i < k; i++) {
      if (i > 0) {
        lake.append(Table.SILVER_SALES_LINES, lake.read(Table.SILVER_SALES_LINES).limit(5000)
            .withColumn("event_id", functions.concat(functions.col("event_id"), functions.lit("-again-" + i))));
      }
      StageTimer timer = new StageTimer();
      long start = System.nanoTime();
      keeper.refresh(lake, days, timer);
      System.out.printf("keeper refresh %d, %d day(s): %d ms %s%n", i + 1, days.size(),
          (System.nanoTime() - start) / 1_000_000, timer.ordered());
    }
  }

  private GoldRefreshCost() {}
}
