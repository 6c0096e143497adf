package io.tillstream.jobs.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Peeks into one JSON Lines record without the pipeline's parse (routing and test deliveries only). */
public final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The top-level text field {@code name} of {@code line}, or null when the line is not such an object. */
  public static String textField(String line, String name) {
    try {
      JsonNode n = JSON.readTree(line);
      JsonNode v = n == null ? null : n.get(name);
      return v != null && v.isTextual() ? v.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private JsonLines() {}
}
