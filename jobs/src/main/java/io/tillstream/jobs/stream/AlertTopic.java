package io.tillstream.jobs.stream;

import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.udf;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.types.DataTypes;

/**
 * Sends suspicious transactions to a Kafka topic as JSON, keyed by alert_id (rule_id:event_id), so a consumer
 * can drop the repeats that at-least-once delivery allows (a replayed micro-batch sends its alerts again).
 */
final class AlertTopic {
  private static final UserDefinedFunction WALL_CLOCK = udf(
      (UDF0<Timestamp>) () -> Timestamp.from(Instant.now()), DataTypes.TimestampType).asNondeterministic();

  private final String bootstrap;
  private final String topic;

  AlertTopic(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  /** Sends every row of {@code alerts} (gold.suspicious_transactions columns); returns how many. */
  long send(Dataset<Row> alerts) {
    Dataset<Row> messages = messages(alerts, current_timestamp()).localCheckpoint(true);
    long n = messages.count();
    if (n > 0) {
      messages.write().format("kafka").option("kafka.bootstrap.servers", bootstrap).option("topic", topic).save();
    }
    return n;
  }

  /**
   * The Kafka sink for a streaming {@code alerts}. Its detected_at is the wall clock when the row is written
   * (a streaming query's current_timestamp() is its batch's start, minutes old in real-time mode).
   */
  DataStreamWriter<Row> writeStream(Dataset<Row> alerts) {
    return messages(alerts, WALL_CLOCK.apply()).writeStream().format("kafka")
        .option("kafka.bootstrap.servers", bootstrap).option("topic", topic);
  }

  /** The Kafka messages (key, value) of alert rows. */
  private static Dataset<Row> messages(Dataset<Row> alerts, Column detectedAt) {
    return alerts.withColumn("detected_at", detectedAt).selectExpr("concat(rule_id, ':', event_id) AS key",
        "to_json(named_struct('alert_id', concat(rule_id, ':', event_id), 'rule_id', rule_id, 'event_id', event_id,"
            + " 'order_id', order_id, 'store_id', store_id, 'business_date', business_date,"
            + " 'event_time', event_time, 'card_token', card_token, 'details', details,"
            + " 'detected_at', detected_at)) AS value");
  }
}
