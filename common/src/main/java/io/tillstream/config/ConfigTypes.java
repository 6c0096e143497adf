package io.tillstream.config;

import io.tillstream.config.ConfigKey.Type;
import io.tillstream.quality.QualityRule;
import io.tillstream.quality.Severity;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Locale;
import java.util.function.Predicate;

/** The types configuration values come in: how each text is parsed and what it must look like. */
final class ConfigTypes {
  static final Type<String> TEXT = new Type<>(t -> t, "any text");

  static final Type<Boolean> BOOLEAN = new Type<>(t -> switch (t.toLowerCase(Locale.ROOT)) {
    case "true" -> true;
    case "false" -> false;
    default -> throw new IllegalArgumentException();
  }, "true or false");

  static final Type<Integer> NON_NEGATIVE_INT = new Type<>(t -> require(Integer.parseInt(t), n -> n >= 0),
      "a non-negative integer");

  static final Type<Integer> PORT = new Type<>(t -> require(Integer.parseInt(t), n -> n >= 0 && n <= 65535),
      "a TCP port from 1 to 65535, or 0 for none");

  static final Type<Integer> POSITIVE_INT = new Type<>(t -> require(Integer.parseInt(t), n -> n > 0),
      "a positive integer");

  static final Type<BigDecimal> NON_NEGATIVE_DECIMAL = new Type<>(t -> require(new BigDecimal(t), b -> b.signum() >= 0),
      "a non-negative decimal amount such as 5000");

  static final Type<Duration> DURATION = new Type<>(ConfigTypes::duration,
      "a duration such as 1d, 6h, 10m, 30s or PT1H");

  static final Type<String> CURRENCY = new Type<>(t -> require(t, c -> c.equals(Currency.getInstance(c)
      .getCurrencyCode())), "an ISO-4217 code such as EUR or USD");

  static final Type<ZoneId> ZONE = new Type<>(ZoneId::of,
      "a time zone id such as UTC, Europe/Paris or America/New_York");

  /** A micro-batch interval, or null for available-now. */
  static final Type<Duration> TRIGGER = new Type<>(t -> t.equalsIgnoreCase("available-now") ? null
      : require(duration(t), d -> !d.isZero()), "available-now or an interval such as 2s, 10s or 1m");

  static final Type<String> KAFKA_STARTING_OFFSETS = new Type<>(t -> require(t, o -> o.equals("earliest")
      || o.equals("latest") || o.startsWith("{")), "earliest, latest or Spark's JSON offsets {\"topic\":{\"0\":42}}");

  /** A local folder; empty means {@code <java.io.tmpdir>/tillstream-locks}. */
  static final Type<Path> LOCK_DIR = new Type<>(t -> {
    if (t.isBlank()) {
      return Path.of(System.getProperty("java.io.tmpdir"), "tillstream-locks");
    }
    String local = t.startsWith("file:") ? t.replaceFirst("^file:(//)?", "") : t;
    return Path.of(require(local, l -> !l.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")));
  }, "a local folder (locks are operating-system file locks on this machine)");

  /** A local folder, or empty for none. */
  static final Type<String> LOCAL_FOLDER_OR_EMPTY = new Type<>(t -> require(t.replaceFirst("^file:(//)?", ""),
      l -> !l.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")), "a local folder, or empty for none");

  static Type<String> nonBlank(String expected) {
    return new Type<>(t -> require(t, v -> !v.isBlank()), expected);
  }

  static Type<String> matching(String regex, String expected) {
    return new Type<>(t -> require(t, v -> v.matches(regex)), expected);
  }

  static Type<Duration> durationAtLeast(Duration min, String expected) {
    return new Type<>(t -> require(duration(t), d -> d.compareTo(min) >= 0), expected);
  }

  static Type<Duration> durationAtMost(Duration max, String expected) {
    return new Type<>(t -> require(duration(t), d -> d.compareTo(max) <= 0), expected);
  }

  static Type<Severity> severity(QualityRule rule) {
    return new Type<>(t -> require(Severity.parse(t), s -> s != null && rule.allowed().contains(s)),
        "one of " + rule.allowedLabels());
  }

  /** 1d, 6h, 10m, 30s or ISO-8601 (PT1H), not negative. */
  static Duration duration(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("p")) {
      return require(Duration.parse(v.toUpperCase(Locale.ROOT)), d -> !d.isNegative());
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return require(switch (v.charAt(v.length() - 1)) {
      case 'd' -> Duration.ofDays(n);
      case 'h' -> Duration.ofHours(n);
      case 'm' -> Duration.ofMinutes(n);
      case 's' -> Duration.ofSeconds(n);
      default -> throw new IllegalArgumentException();
    }, d -> !d.isNegative());
  }

  private static <T> T require(T value, Predicate<T> valid) {
    if (!valid.test(value)) {
      throw new IllegalArgumentException();
    }
    return value;
  }

  private ConfigTypes() {}
}
