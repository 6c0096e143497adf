package io.tillstream.jobs.kafka;

import io.tillstream.ingest.RawLines;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;

/**
 * Sends JSON Lines files to a Kafka topic, one record per non-blank line, keyed by store_id (so one store's
 * events keep their order in one partition), at most {@code rate} records per second when rate > 0.
 * Idempotent producer, acks=all: a record is sent once even if the producer retries.
 */
public final class KafkaPublisher {
  static long publish(Configuration hadoop, List<String> files, String bootstrap, String topic, double rate)
      throws IOException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, rate > 0 && rate < 1000 ? "0" : "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    long start = System.nanoTime();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (String file : files) {
        Iterator<Row> lines = RawLines.linesOf(hadoop, file);
        while (lines.hasNext()) {
          String value = lines.next().getString(2);
          String key = JsonLines.textField(value, "store_id");
          producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
          if (failure.get() != null) {
            break;
          }
          sent++;
          if (rate > 0) {
            long due = start + (long) (sent * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
              sleepNanos(wait);
            }
          }
        }
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IOException("sending to topic " + topic + " at " + bootstrap + " failed: " + failure.get(),
          failure.get());
    }
    return sent;
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private KafkaPublisher() {}
}
