package io.tillstream.sqlclient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.connect.SparkSession;

/**
 * scripts/bench serve: how long a warm Spark Connect server takes to answer, seen from a connected client. Usage:
 * QueryLatency URL RUNS SQL... prints, per statement, the first answer in a new session and the median and p95 of
 * the next RUNS.
 */
public final class QueryLatency {
  public static void main(String[] args) {
    String url = args[0];
    int runs = Integer.parseInt(args[1]);
    long start = System.nanoTime();
    SparkSession spark = SparkSession.builder().remote(url).create();
    try {
      System.out.printf("connect: %.0f ms%n", millisSince(start));
      for (int q = 2; q < args.length; q++) {
        long first = System.nanoTime();
        int rows = spark.sql(args[q]).collectAsList().size();
        double firstMs = millisSince(first);
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          long t = System.nanoTime();
          spark.sql(args[q]).collectAsList();
          warm.add(millisSince(t));
        }
        Collections.sort(warm);
        System.out.printf("%s%n  rows %d, first %.0f ms, then median %.0f ms, p95 %.0f ms over %d runs%n", args[q],
            rows, firstMs, warm.get(warm.size() / 2), warm.get((int) Math.ceil(warm.size() * 0.95) - 1), runs);
      }
    } finally {
      spark.close();
    }
  }

  private static double millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e6;
  }

  private QueryLatency() {}
}
