package io.tillstream.jobs.stream;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import java.time.Duration;

/**
 * What a streaming job reads and where it writes, resolved from the command line and configuration.
 *
 * @param bootstrap Kafka bootstrap servers (Kafka source), else null
 * @param topic Kafka topic (Kafka source), else null
 * @param input landing directory (file source), else null
 * @param trigger micro-batch interval, or null for available-now
 * @param checkpoint checkpoint root; each query keeps its own folder below it
 */
public record StreamSettings(Source source, String bootstrap, String topic, String input, String dims,
    String lake, String checkpoint, Duration trigger, TillstreamConfig config) {

  public enum Source { KAFKA, FILES }

  public boolean availableNow() {
    return trigger == null;
  }

  /** Where alerts go: stream.alerts.bootstrap, else the Kafka source's servers; null when there is nowhere. */
  public String alertsBootstrap() {
    if (!config.get(ConfigKeys.STREAM_ALERTS_ENABLED)) {
      return null;
    }
    String b = config.get(ConfigKeys.STREAM_ALERTS_BOOTSTRAP);
    if (b != null && !b.isBlank()) {
      return b;
    }
    return source == Source.KAFKA ? bootstrap : null;
  }

  public String alertsTopic() {
    return config.get(ConfigKeys.STREAM_ALERTS_TOPIC);
  }

  /** large_order runs in its own real-time query ({@link RealTimeAlerts}; Kafka source, continuous stream only). */
  public boolean realTimeAlerts() {
    return source == Source.KAFKA && !availableNow() && alertsBootstrap() != null
        && config.get(ConfigKeys.STREAM_ALERTS_FAST_PATH) && config.get(ConfigKeys.LARGE_ORDER_ENABLED);
  }

  public String describeSource() {
    return source == Source.KAFKA ? "kafka " + bootstrap + " topic " + topic : "files " + input;
  }
}
