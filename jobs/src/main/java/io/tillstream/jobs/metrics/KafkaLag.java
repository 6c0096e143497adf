package io.tillstream.jobs.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Per topic partition, how far the offsets a Kafka source read to lie behind the latest offsets. */
public final class KafkaLag {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The lag of one topic partition. */
  public record Partition(String topic, int partition, long records) {}

  /**
   * From a Kafka source's progress: {@code endOffset} (read to) and {@code latestOffset} (latest in the broker), both
   * Spark's JSON {"topic":{"0":120,"1":98}}. Partitions missing from either, or null JSON: no figure.
   */
  public static List<Partition> of(String endOffset, String latestOffset) {
    List<Partition> lag = new ArrayList<>();
    if (endOffset == null || latestOffset == null) {
      return lag;
    }
    JsonNode end = parse(endOffset);
    JsonNode latest = parse(latestOffset);
    for (Iterator<Map.Entry<String, JsonNode>> topics = latest.fields(); topics.hasNext();) {
      Map.Entry<String, JsonNode> topic = topics.next();
      for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields(); parts.hasNext();) {
        Map.Entry<String, JsonNode> part = parts.next();
        JsonNode read = end.path(topic.getKey()).path(part.getKey());
        if (read.isNumber() && part.getValue().isNumber()) {
          lag.add(new Partition(topic.getKey(), Integer.parseInt(part.getKey()),
              Math.max(0, part.getValue().asLong() - read.asLong())));
        }
      }
    }
    return lag;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not Spark's Kafka offsets JSON: " + json, e);
    }
  }

  private KafkaLag() {}
}
