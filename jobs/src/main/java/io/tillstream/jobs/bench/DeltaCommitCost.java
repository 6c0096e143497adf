package io.tillstream.jobs.bench;

import io.delta.tables.DeltaTable;
import io.tillstream.lake.SparkSessions;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * What one small Delta commit costs on this machine, by kind, on a table that already holds some commits: a blind
 * append, the same append carrying a transaction id ({@code txnAppId}/{@code txnVersion}), an insert-only MERGE on
 * a key and a {@code replaceWhere} of one day. Each kind runs {@code K} times on its own table (after two warm-up
 * commits); the median and the mean in milliseconds are printed. The figures behind the stream's design
 * (docs/benchmarks.md, "Where a micro-batch's time goes").
 *
 * <p>usage: DeltaCommitCost DIR [ROWS] [K]
 */
public final class DeltaCommitCost {

  public static void main(String[] args) {
    String dir = args[0];
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    SparkSession spark = SparkSessions.getOrCreate("tillstream-bench-commit",
        Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions", "2"));
    for (String kind : new String[] {"append", "append+txn", "merge", "replaceWhere", "append"}) {
      String path = dir + "/" + kind.replace('+', '_') + "-" + System.nanoTime();
      long[] ms = new long[k];
      for (int i = -2; i < k; i++) {
        Dataset<Row> batch = batch(spark, i + 2, rows);
        long start = System.nanoTime();
        commit(spark, kind, path, batch, i + 2);
        if (i >= 0) {
          ms[i] = (System.nanoTime() - start) / 1_000_000;
        }
      }
      Arrays.sort(ms);
      System.out.printf("%-13s %d rows: median %d ms, mean %d ms, min %d, max %d%n", kind, rows, ms[k / 2],
          Arrays.stream(ms).sum() / k, ms[0], ms[k - 1]);
    }
    spark.stop();
  }

  private static Dataset<Row> batch(SparkSession spark, long n, int rows) {
    return spark.range(n * rows, (n + 1) * rows).selectExpr("CAST(id AS STRING) AS record_id",
        "DATE'2025-03-01' AS business_date", "CAST(id * 1.5 AS DECIMAL(18,2)) AS amount",
        "concat('S', id % 5) AS store_id", "repeat('x', 200) AS payload");
  }

  private static void commit(SparkSession spark, String kind, String path, Dataset<Row> batch, long n) {
    boolean exists = DeltaTable.isDeltaTable(spark, path);
    if (!exists) {
      batch.write().format("delta").clusterBy("business_date").save(path);
      return;
    }
    switch (kind) {
      case "append" -> batch.write().format("delta").mode(SaveMode.Append).save(path);
      case "append+txn" -> batch.write().format("delta").mode(SaveMode.Append).option("txnAppId", "bench")
          .option("txnVersion", n).save(path);
      case "merge" -> DeltaTable.forPath(spark, path).as("t").merge(batch.as("s"),
              "t.business_date = DATE'2025-03-01' AND t.record_id = s.record_id").whenNotMatched().insertAll()
          .execute();
      case "replaceWhere" -> batch.write().format("delta").mode(SaveMode.Overwrite)
          .option("replaceWhere", "business_date = DATE'2025-03-01'").save(path);
      default -> throw new IllegalArgumentException(kind);
    }
  }

  private DeltaCommitCost() {}
}
