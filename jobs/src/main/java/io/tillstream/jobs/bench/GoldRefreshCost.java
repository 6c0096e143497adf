package io.tillstream.jobs.bench;

import io.tillstream.gold.SuspiciousRules;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import io.tillstream.run.GoldRefresh;
import io.tillstream.run.StageTimer;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/**
 * What one gold refresh costs on an existing lake, table by table: the refresh of the business dates FROM..TO for
 * the given tables (all, daily_sales or others, as the stream's gold cadences split them), K times in one JVM
 * with the stream's settings (two cores, two shuffle partitions, expressions interpreted), each run's stages in
 * milliseconds. It rewrites those days of gold with what they already hold.
 *
 * <p>usage: GoldRefreshCost LAKE FROM TO [K] [all|daily_sales|others]
 */
public final class GoldRefreshCost {

  public static void main(String[] args) {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (LocalDate d = LocalDate.parse(args[1]); !d.isAfter(LocalDate.parse(args[2])); d = d.plusDays(1)) {
      days.add(d);
    }
    int k = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    GoldRefresh.Tables tables = GoldRefresh.Tables.valueOf((args.length > 4 ? args[4] : "all").toUpperCase());
    SparkSession spark = SparkSessions.getOrCreate("tillstream-bench-gold", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.sql.codegen.wholeStage", "false",
        "spark.sql.codegen.factoryMode", "NO_CODEGEN"));
    Lake lake = new Lake(spark, args[0]);
    for (int i = 0; i < k; i++) {
      StageTimer timer = new StageTimer();
      long start = System.nanoTime();
      new GoldRefresh(lake, timer).refresh(days, SuspiciousRules.defaults(), 31, false, null, tables);
      System.out.printf("refresh %d of %s, %d day(s): %d ms %s%n", i + 1, tables, days.size(),
          (System.nanoTime() - start) / 1_000_000, timer.ordered());
    }
    spark.stop();
  }

  private GoldRefreshCost() {}
}
