package io.tillstream.jobs.bench;

import static org.apache.spark.sql.functions.lit;

import io.tillstream.lake.SparkSessions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The stream's floor: what a plain Structured Streaming query costs on this machine with none of Tillstream's work.
 * Kafka records are appended as they are (value, topic, partition, offset, produce time) to one Delta table, each
 * micro-batch one append under the query's transaction id, as Delta's own streaming sink commits. It runs until
 * {@code EVENTS} records are in the table, then prints the micro-batches, their mean duration and the freshness
 * (produce time to the end of the micro-batch's commit), p50 and p99, over the whole run and for the records
 * produced {@code STEADY_AFTER_S} seconds or more after the first.
 *
 * <p>usage: StreamFloor BOOTSTRAP TOPIC DIR TRIGGER_MS EVENTS STEADY_AFTER_S
 */
public final class StreamFloor {

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String dir = args[2];
    long triggerMs = Long.parseLong(args[3]);
    long events = Long.parseLong(args[4]);
    int steadyAfter = Integer.parseInt(args[5]);
    SparkSession spark = SparkSessions.getOrCreate("tillstream-bench-stream-floor",
        Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions", "2"));
    String table = dir + "/records";
    Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    long[] landed = {0};
    VoidFunction2<Dataset<Row>, Long> append = (batch, batchId) -> {
      long n = batch.count();
      batch.withColumn("batch_id", lit(batchId)).write().format("delta").mode(SaveMode.Append)
          .option("txnAppId", "stream-floor").option("txnVersion", batchId).save(table);
      committedAt.put(batchId, System.currentTimeMillis());
      landed[0] += n;
      System.out.println("floor batch " + batchId + ": " + n + " records");
    };
    StreamingQuery query = spark.readStream().format("kafka").option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic).option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", 200_000).load()
        .selectExpr("value", "topic", "partition", "offset", "timestamp AS produced_at")
        .writeStream().option("checkpointLocation", dir + "/checkpoint")
        .trigger(Trigger.ProcessingTime(triggerMs, TimeUnit.MILLISECONDS)).foreachBatch(append).start();
    while (landed[0] < events && query.isActive()) {
      Thread.sleep(200);
    }
    query.stop();
    java.util.LongSummaryStatistics took = java.util.Arrays.stream(query.recentProgress())
        .filter(p -> p.numInputRows() > 0).mapToLong(p -> p.durationMs().get("triggerExecution")).summaryStatistics();
    System.out.println("floor: micro-batches with records (last 100): " + took.getCount() + ", mean "
        + Math.round(took.getAverage()) + " ms, max " + took.getMax() + " ms");
    spark.createDataFrame(committedAt.entrySet().stream()
            .map(e -> org.apache.spark.sql.RowFactory.create(e.getKey(), new java.sql.Timestamp(e.getValue())))
            .toList(),
        new org.apache.spark.sql.types.StructType().add("batch_id", "long").add("committed_at", "timestamp"))
        .createOrReplaceTempView("commits");
    spark.read().format("delta").load(table).createOrReplaceTempView("records");
    String freshness = "SELECT count(*) AS records, percentile(s, 0.5) AS p50_s, percentile(s, 0.99) AS p99_s FROM ("
        + " SELECT (unix_millis(c.committed_at) - unix_millis(r.produced_at)) / 1000.0 AS s FROM records r"
        + " JOIN commits c USING (batch_id) WHERE %s)";
    System.out.println("floor: plain Kafka -> Delta append, trigger " + triggerMs + " ms, micro-batches "
        + committedAt.size());
    spark.sql(String.format(freshness, "true")).show(false);
    System.out.println("floor steady state: records produced " + steadyAfter + " s or more after the first");
    spark.sql(String.format(freshness, "r.produced_at >= (SELECT min(produced_at) FROM records)"
        + " + make_dt_interval(0, 0, 0, " + steadyAfter + ")")).show(false);
    spark.stop();
  }

  private StreamFloor() {}
}
