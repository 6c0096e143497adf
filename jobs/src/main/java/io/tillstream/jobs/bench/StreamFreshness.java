package io.tillstream.jobs.bench;

import io.tillstream.ingest.KafkaRecords;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import io.tillstream.lake.Table;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what a stream benchmark left behind and prints its figures: sustained events/s, freshness (Kafka
 * produce time to the commit of the event's micro-batch, in silver and in gold) and alert latency (produce
 * time of the event to the alert's produce time on the alert topic).
 *
 * <p>usage: StreamFreshness LAKE BOOTSTRAP TOPIC ALERT_TOPIC [STEADY_AFTER_S]: with STEADY_AFTER_S, the freshness
 * and alert figures are printed again for the events produced that many seconds or more after the first one (the
 * steady state, without the cold start).
 */
public final class StreamFreshness {

  public static void main(String[] args) {
    SparkSession spark = SparkSessions.getOrCreate("tillstream-bench-report",
        Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions", "2"));
    Lake lake = new Lake(spark, args[0]);
    Dataset<Row> produced = spark.read().format("kafka").option("kafka.bootstrap.servers", args[1])
        .option("subscribe", args[2]).load()
        .selectExpr(KafkaRecords.SOURCE_FILE_SQL + " AS source_file", "offset AS source_line",
            "timestamp AS produced_at", "get_json_object(CAST(value AS STRING), '$.event_id') AS event_id");
    produced.createOrReplaceTempView("produced");
    // Silver is visible when its commit ends; gold when the first refresh that started after the micro-batch had
    // finished ends (the gold thread's ops rows read nothing), or the micro-batch itself with stream.gold-interval=0s.
    Dataset<Row> runs = lake.read(Table.OPS_RUNS).filter("job = 'stream' AND status = 'SUCCEEDED'")
        .selectExpr("run_id", "started_at", "finished_at", "read", "map_contains_key(stage_ms, 'gold daily_sales')"
            + " AS refreshed_gold",
            "timestamp_millis(unix_millis(started_at) + aggregate(map_values(map_filter(stage_ms, (k, v) -> k NOT LIKE"
                + " 'gold%' AND k NOT IN ('send alerts', 'publish parquet'))), 0L, (a, x) -> a + x)) AS silver_at");
    runs.filter("refreshed_gold").createOrReplaceTempView("gold_runs");
    runs.filter("read IS NOT NULL").createOrReplaceTempView("batches");
    spark.sql("SELECT b.run_id, first(b.started_at) AS started_at, first(b.finished_at) AS finished_at,"
        + " first(b.read) AS read, first(b.silver_at) AS silver_at, min(g.finished_at) AS gold_at"
        + " FROM batches b LEFT JOIN gold_runs g ON g.run_id = b.run_id OR g.started_at >= b.finished_at"
        + " GROUP BY b.run_id")
        .createOrReplaceTempView("runs");
    lake.read(Table.SILVER_SALES_LINES).filter("line_no = 1").createOrReplaceTempView("silver");
    spark.sql("SELECT count(*) AS events, min(produced_at) AS first, max(produced_at) AS last FROM produced")
        .show(false);
    spark.sql("SELECT count(*) AS batches, sum(read) AS records, min(started_at) AS first_start,"
        + " max(finished_at) AS last_end, round(sum(read) / (unix_millis(max(finished_at)) -"
        + " unix_millis(min(started_at))) * 1000) AS sustained_events_per_s,"
        + " round(avg(unix_millis(finished_at) - unix_millis(started_at))) AS avg_batch_ms FROM runs").show(false);
    String freshness = "SELECT percentile(silver_s, 0.5) AS silver_p50_s, percentile(silver_s, 0.99) AS silver_p99_s,"
        + " percentile(gold_s, 0.5) AS gold_p50_s, percentile(gold_s, 0.99) AS gold_p99_s, count(*) AS events FROM ("
        + " SELECT (unix_millis(r.silver_at) - unix_millis(p.produced_at)) / 1000.0 AS silver_s,"
        + " (unix_millis(r.gold_at) - unix_millis(p.produced_at)) / 1000.0 AS gold_s"
        + " FROM silver s JOIN produced p ON s.source_file = p.source_file AND s.source_line = p.source_line"
        + " JOIN runs r ON s.run_id = r.run_id WHERE %s)";
    spark.sql(String.format(freshness, "true")).show(false);
    String steady = args.length > 4 ? "p.produced_at >= (SELECT min(produced_at) FROM produced) + make_dt_interval(0,"
        + " 0, 0, " + Integer.parseInt(args[4]) + ")" : null;
    if (steady != null) {
      System.out.println("steady state: events produced " + args[4] + " s or more after the first");
      spark.sql(String.format(freshness, steady)).show(false);
    }
    if (args.length > 3) {
      spark.read().format("kafka").option("kafka.bootstrap.servers", args[1]).option("subscribe", args[3]).load()
          .selectExpr("timestamp AS alerted_at", "get_json_object(CAST(value AS STRING), '$.rule_id') AS rule_id",
              "get_json_object(CAST(value AS STRING), '$.event_id') AS event_id")
          .createOrReplaceTempView("alerts");
      spark.sql("SELECT a.rule_id, (unix_millis(min(a.alerted_at)) - unix_millis(min(p.produced_at))) / 1000.0 AS s,"
          + " min(p.produced_at) AS produced_at"
          + " FROM alerts a JOIN produced p ON a.event_id = p.event_id GROUP BY a.rule_id, a.event_id")
          .createOrReplaceTempView("latency");
      spark.sql("SELECT rule_id, count(*) AS alerts, percentile(s, 0.5) AS p50_s, percentile(s, 0.9) AS p90_s,"
          + " percentile(s, 0.99) AS p99_s, max(s) AS max_s FROM latency GROUP BY rule_id ORDER BY rule_id")
          .show(false);
      if (steady != null) {
        spark.sql("SELECT rule_id, count(*) AS alerts, percentile(s, 0.5) AS p50_s, percentile(s, 0.99) AS p99_s,"
            + " max(s) AS max_s FROM latency p WHERE " + steady + " GROUP BY rule_id ORDER BY rule_id").show(false);
      }
      // When the slow alerts were produced (start-up, or later under the ingest's load), per 15 seconds.
      spark.sql("SELECT timestamp_seconds(floor(unix_seconds(produced_at) / 15) * 15) AS produced_from, count(*) AS large_orders,"
          + " percentile(s, 0.5) AS p50_s, percentile(s, 0.99) AS p99_s, max(s) AS max_s FROM latency"
          + " WHERE rule_id = 'large_order' GROUP BY 1 ORDER BY 1").show(100, false);
    }
    spark.stop();
  }

  private StreamFreshness() {}
}
