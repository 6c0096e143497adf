package io.tillstream.jobs.bench;

import io.tillstream.ingest.KafkaRecords;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.SparkSessions;
import io.tillstream.lake.Table;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The verdict of scripts/chaos: every silver and gold table of the lake the chaos run wrote against a reference
 * lake (one batch run over the same input), one line per table, {@code lost N, duplicated N}: rows of the
 * reference missing from the chaos lake, and rows of the chaos lake beyond the reference (a row counted twice,
 * or one the reference does not have at all). With a Kafka topic, the same for the Kafka records in bronze:
 * every offset of the topic exactly once. Exit 0 when nothing is lost or duplicated, 1 otherwise.
 *
 * <p>usage: ChaosCompare REFERENCE_LAKE CHAOS_LAKE [BOOTSTRAP TOPIC]
 */
public final class ChaosCompare {
  /** One compared table: what the reference has and the chaos lake lacks, and the chaos lake's surplus. */
  record Verdict(String table, long lost, long duplicated, long referenceRows, long chaosRows, List<String> samples) {}

  public static void main(String[] args) {
    if (args.length != 2 && args.length != 4) {
      System.err.println("usage: ChaosCompare REFERENCE_LAKE CHAOS_LAKE [BOOTSTRAP TOPIC]");
      System.exit(2);
    }
    SparkSession spark = SparkSessions.getOrCreate("tillstream-chaos-compare",
        Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions", "2"));
    Lake reference = new Lake(spark, args[0]);
    Lake chaos = new Lake(spark, args[1]);
    List<Verdict> verdicts = new ArrayList<>();
    for (LakeComparison.TableDiff d : LakeComparison.compare(reference, chaos, 3)) {
      List<String> samples = new ArrayList<>();
      d.onlyLeft().forEach(r -> samples.add("lost: " + r));
      d.onlyRight().forEach(r -> samples.add("duplicated: " + r));
      verdicts.add(new Verdict(d.table().qualifiedName(), d.onlyLeftCount(), d.onlyRightCount(), d.leftRows(),
          d.rightRows(), samples));
    }
    if (args.length == 4) {
      verdicts.add(kafkaOffsets(chaos, args[2], args[3]));
    }
    int code = print(verdicts, System.out);
    spark.stop();
    System.exit(code);
  }

  /** Bronze's Kafka records against the topic's offsets: each offset of each partition exactly once. */
  static Verdict kafkaOffsets(Lake chaos, String bootstrap, String topic) {
    Map<String, Long> ends = endOffsets(bootstrap, topic);
    long expected = ends.values().stream().mapToLong(Long::longValue).sum();
    Map<String, long[]> seen = new HashMap<>();
    for (Row r : chaos.read(Table.BRONZE_SALES_EVENTS).filter("source_file LIKE 'kafka:%'")
        .groupBy("source_file").agg(org.apache.spark.sql.functions.count("*"),
            org.apache.spark.sql.functions.countDistinct("source_line")).collectAsList()) {
      seen.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
    }
    long lost = 0;
    long duplicated = 0;
    long rows = 0;
    List<String> samples = new ArrayList<>();
    for (Map.Entry<String, Long> e : ends.entrySet()) {
      long[] s = seen.getOrDefault(e.getKey(), new long[] {0, 0});
      rows += s[0];
      lost += e.getValue() - s[1];
      duplicated += s[0] - s[1];
      if (s[1] != e.getValue() || s[0] != s[1]) {
        samples.add(e.getKey() + ": " + e.getValue() + " offsets, " + s[1] + " distinct in bronze, " + s[0] + " rows");
      }
    }
    return new Verdict("bronze.sales_events (Kafka offsets)", lost, duplicated, expected, rows, samples);
  }

  private static Map<String, Long> endOffsets(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    Map<String, Long> out = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(topic, java.time.Duration.ofSeconds(60))) {
        parts.add(new TopicPartition(topic, i.partition()));
      }
      c.endOffsets(parts, java.time.Duration.ofSeconds(60)).forEach((tp, end) ->
          out.put(KafkaRecords.sourceFile(tp.topic(), tp.partition()), end));
    }
    return out;
  }

  /** Prints one line per table and the verdict; returns the exit code. */
  static int print(List<Verdict> verdicts, PrintStream out) {
    boolean clean = true;
    for (Verdict v : verdicts) {
      out.printf("%-38s lost %d, duplicated %d   (reference %d rows, chaos lake %d rows)%n", v.table(), v.lost(),
          v.duplicated(), v.referenceRows(), v.chaosRows());
      v.samples().forEach(s -> out.println("    " + s));
      clean &= v.lost() == 0 && v.duplicated() == 0;
    }
    out.println(clean ? "chaos: PASSED, nothing lost, nothing duplicated"
        : "chaos: FAILED, rows lost or duplicated (see above)");
    return clean ? 0 : 1;
  }

  private ChaosCompare() {}
}
