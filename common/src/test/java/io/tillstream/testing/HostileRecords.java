package io.tillstream.testing;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded generator of hostile records that carry known personal data in every shape a producer (or an attacker)
 * might send: the contract's object, arrays of events, events inside strings and other objects, customers given
 * as strings or arrays, PII-named fields anywhere and in any spelling, escaped keys and values, PII in free text
 * and numbers, duplicate keys, truncated text and invalid UTF-8. Each record knows which values must not leak.
 */
public final class HostileRecords {
  /** One record: its bytes (a line without the newline), its shape and the personal data values it carries. */
  public record Hostile(String shape, byte[] line, List<String> secrets) {
    public String text() {
      return new String(line, StandardCharsets.UTF_8);
    }
  }

  private final Random random = new Random();

  public HostileRecords(long seed) {
    random.setSeed(seed);
  }

  private String digits(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append((char) ('1' + random.nextInt(9)));
    while (sb.length() < n) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }

  /** Fresh values of one customer, each with a long digit run so that a leak cannot pass for chance. */
  private final class Person {
    final String customerId = "C" + digits(9);
    final String email = "ann." + digits(8) + "@example.org";
    final String phoneDigits = "316" + digits(8);
    final String phone = switch (random.nextInt(4)) {
      case 0 -> "+" + phoneDigits;
      case 1 -> "+31 6 " + phoneDigits.substring(3, 7) + " " + phoneDigits.substring(7);
      case 2 -> "+31-6-" + phoneDigits.substring(3, 7) + "-" + phoneDigits.substring(7);
      default -> "(+31) 6." + phoneDigits.substring(3, 7) + "." + phoneDigits.substring(7);
    };
    final String card = "4" + digits(15);

    List<String> secrets() {
      return List.of(customerId, email, phone, phoneDigits, card);
    }
  }

  private static String q(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  /** A key written with every character unicode-escaped: the same key to a JSON reader. */
  private static String escapedKey(String key) {
    StringBuilder sb = new StringBuilder("\"");
    key.chars().forEach(c -> sb.append(String.format("\\u%04x", c)));
    return sb.append('"').toString();
  }

  private String key(String name) {
    return switch (random.nextInt(6)) {
      case 0 -> escapedKey(name);
      case 1 -> q(name.toUpperCase());
      case 2 -> q(camel(name));
      default -> q(name);
    };
  }

  private static String camel(String name) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  private String customerObject(Person p) {
    return "{" + key("customer_id") + ":" + q(p.customerId) + "," + key("email") + ":" + q(p.email) + ","
        + key("phone") + ":" + q(p.phone) + "}";
  }

  private String event(Person p, String customer, String extra) {
    return "{\"schema_version\":1,\"event_id\":\"e-" + digits(6) + "\",\"event_type\":\"sale\","
        + "\"event_time\":\"2025-03-01T10:00:00+01:00\",\"order_id\":\"o-" + digits(6) + "\","
        + "\"store_id\":\"NL-AMS-01\",\"channel\":\"pos\",\"currency\":\"EUR\",\"customer\":" + customer + ","
        + "\"payment\":{\"method\":\"card\"," + key("card_number") + ":" + q(p.card) + "},"
        + "\"items\":[{\"sku\":\"SKU-00001\",\"quantity\":1,\"unit_price\":9.99}]" + extra + "}";
  }

  private String plainEvent(Person p) {
    return event(p, customerObject(p), "");
  }

  private final List<Function<Person, String>> shapes = List.of(
      this::plainEvent,
      p -> "[" + plainEvent(p) + "," + plainEvent(p) + "]",
      p -> q(plainEvent(p)),
      p -> q(q(plainEvent(p))),
      p -> "{\"data\":" + plainEvent(p) + "}",
      p -> "{\"envelope\":{\"payload\":" + q(plainEvent(p)) + "}}",
      p -> nest(plainEvent(p), 1 + random.nextInt(40)),
      p -> event(p, q(p.customerId), ""),
      p -> event(p, "[" + q(p.customerId) + "," + q(p.email) + "," + q(p.phone) + "]", ""),
      p -> event(p, "null", "," + key("customer_id") + ":" + q(p.customerId) + "," + key("email") + ":"
          + q(p.email) + "," + key("phone") + ":" + q(p.phone)),
      p -> event(p, "null", ",\"contact\":{\"e_mail\":" + q(p.email) + ",\"mobile\":" + q(p.phone)
          + ",\"client_id\":" + q(p.customerId) + "}"),
      p -> event(p, customerObject(p), ",\"note\":" + q("call " + p.phone + " or mail " + p.email
          + ", customer " + p.customerId + ", card " + p.card)),
      p -> event(p, "{\"customer_id\":" + p.customerId.substring(1) + ",\"phone\":" + p.phoneDigits + "}",
          ",\"ref\":" + p.phoneDigits + ",\"pan\":" + p.card),
      p -> event(p, customerObject(p), ",\"meta\":" + q("{\"phone\":" + q(p.phone) + ",\"id\":"
          + q(p.customerId) + "}")),
      p -> event(p, customerObject(p), "," + q(p.phone) + ":1," + q(p.email) + ":" + q(p.customerId)),
      p -> event(p, "{\"customer_id\":" + q(p.customerId) + ",\"customer_id\":" + q(p.customerId + "9")
          + ",\"phone\":" + q(p.phone) + "}", ""),
      p -> escapeDigits(plainEvent(p), p),
      p -> p.customerId + "," + p.email + "," + p.phone + "," + p.card,
      p -> "{\"customer\":{\"customer_id\":" + q(p.customerId) + ",\"email\":" + q(p.email)
          + ",\"phone\":" + q(p.phone) + "},\"payment\":{\"card_number\":" + q(p.card) + "}} trailing " + p.phone);

  private static String nest(String inner, int depth) {
    return "{\"a\":".repeat(depth) + inner + "}".repeat(depth);
  }

  /** One hostile record; truncation and invalid UTF-8 are applied on top of any shape. */
  public Hostile next() {
    Person p = new Person();
    int shape = random.nextInt(shapes.size());
    String text = shapes.get(shape).apply(p);
    String name = "shape" + shape;
    byte[] line = text.getBytes(StandardCharsets.UTF_8);
    switch (random.nextInt(6)) {
      case 0 -> {
        int cut = 1 + random.nextInt(line.length - 1);
        line = java.util.Arrays.copyOf(line, cut);
        name += "+truncated";
      }
      case 1 -> {
        line = insert(line, random.nextInt(line.length), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        name += "+invalid-utf8";
      }
      case 2 -> {
        line = insert(line, random.nextInt(line.length), new byte[] {0});
        name += "+nul";
      }
      default -> { }
    }
    return new Hostile(name, line, p.secrets());
  }

  /** Writes every digit of the person's values inside JSON strings as a unicode escape. */
  private String escapeDigits(String text, Person p) {
    String out = text;
    for (String v : List.of(p.customerId, p.phone)) {
      StringBuilder sb = new StringBuilder();
      v.chars().forEach(c -> sb.append(Character.isDigit(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
      out = out.replace(new String(JsonStringEncoder.getInstance().quoteAsString(v)), sb.toString());
    }
    return out;
  }

  private static byte[] insert(byte[] line, int at, byte[] bytes) {
    byte[] out = new byte[line.length + bytes.length];
    System.arraycopy(line, 0, out, 0, at);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    System.arraycopy(line, at, out, at + bytes.length, line.length - at);
    return out;
  }

  public List<Hostile> next(int n) {
    List<Hostile> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  /**
   * The leaks of {@code secrets} in {@code text}: a value as it is, or its digits as one run (also when the text
   * groups them with spaces, dashes, dots, parentheses or a plus sign). A run inside a longer run of digits is not
   * a leak: an 8-digit secret is found in one epoch-millisecond timestamp of a Delta commit in a few thousand.
   */
  public static List<String> leaks(String text, List<String> secrets) {
    String lower = text.toLowerCase();
    String ungrouped = lower.replaceAll("[ ().+/-]", "");
    List<String> found = new ArrayList<>();
    for (String secret : secrets) {
      String digitRun = secret.replaceAll("[^0-9]", "");
      if (lower.contains(secret.toLowerCase()) || (digitRun.length() >= 7 && containsAsRun(ungrouped, digitRun))) {
        found.add(secret);
      }
    }
    return found;
  }

  /** Whether {@code digits} occurs in {@code text} with no digit right before or after it. */
  static boolean containsAsRun(String text, String digits) {
    for (int i = text.indexOf(digits); i >= 0; i = text.indexOf(digits, i + 1)) {
      int end = i + digits.length();
      if ((i == 0 || !Character.isDigit(text.charAt(i - 1)))
          && (end == text.length() || !Character.isDigit(text.charAt(end)))) {
        return true;
      }
    }
    return false;
  }

  /** The secrets of many records. */
  public static List<String> secretsOf(List<Hostile> records) {
    return records.stream().flatMap(h -> h.secrets().stream()).distinct().toList();
  }
}
