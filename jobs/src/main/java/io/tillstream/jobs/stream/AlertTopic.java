package io.tillstream.jobs.stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Sends suspicious transactions to a Kafka topic as JSON, keyed by alert_id (rule_id:event_id), so a consumer
 * can drop the repeats that at-least-once delivery allows (a replayed micro-batch sends its alerts again).
 */
final class AlertTopic {
  private final String bootstrap;
  private final String topic;

  AlertTopic(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  /** Sends every row of {@code alerts} (gold.suspicious_transactions columns); returns how many. */
  long send(Dataset<Row> alerts) {
    Dataset<Row> messages = alerts.selectExpr("concat(rule_id, ':', event_id) AS key",
        "to_json(named_struct('alert_id', concat(rule_id, ':', event_id), 'rule_id', rule_id, 'event_id', event_id,"
            + " 'order_id', order_id, 'store_id', store_id, 'business_date', business_date,"
            + " 'event_time', event_time, 'card_token', card_token, 'details', details,"
            + " 'detected_at', current_timestamp())) AS value").localCheckpoint(true);
    long n = messages.count();
    if (n > 0) {
      messages.write().format("kafka").option("kafka.bootstrap.servers", bootstrap).option("topic", topic).save();
    }
    return n;
  }
}
