package io.tillstream.config;

import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Effective configuration, layered: defaults, then a properties file (--conf), then environment variables
 * (TILLSTREAM_REPORTING_CURRENCY for reporting.currency), then --set KEY=VALUE. Unknown keys and bad values
 * fail fast with a message naming the key.
 */
public final class TillstreamConfig implements java.io.Serializable {
  private static final String ENV_PREFIX = "TILLSTREAM_";
  /** Environment variables that are not configuration keys. */
  public static final java.util.Set<String> RESERVED_ENV = java.util.Set.of("TILLSTREAM_PII_KEY",
      "TILLSTREAM_PII_KEY_ID", "TILLSTREAM_HOME", "TILLSTREAM_JAVA_OPTS", "TILLSTREAM_MAIN_CLASS",
      "TILLSTREAM_SPARK_HOME", "TILLSTREAM_CLUSTER_DIR", "TILLSTREAM_KAFKA_DIR", "TILLSTREAM_KAFKA_JAVA_OPTS",
      "TILLSTREAM_JDBC_PASSWORD", "TILLSTREAM_SQL_TOKEN", "TILLSTREAM_POSTGRES_DIR");

  private final Map<String, String> values;

  private TillstreamConfig(Map<String, String> values) {
    this.values = values;
    validate();
  }

  public static TillstreamConfig defaults() {
    return load(null, Map.of(), Map.of());
  }

  /** Builds the layered configuration; {@code file} may be null. */
  public static TillstreamConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> v = new LinkedHashMap<>();
    ConfigKeys.all().values().forEach(k -> v.put(k.name(), k.defaultValue()));
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new ConfigError("cannot read config file " + file + ": " + e.getMessage() + " (fix the --conf path)");
      }
      new TreeMap<>(p).forEach((k, val) -> put(v, k.toString().trim(), val.toString().trim(), "config file " + file));
    }
    new TreeMap<>(env).forEach((name, val) -> {
      if (!name.startsWith(ENV_PREFIX) || RESERVED_ENV.contains(name)) {
        return;
      }
      String key = keyForEnv(name);
      if (key == null) {
        throw new ConfigError("unknown environment variable " + name + ": it matches no configuration key"
            + nearest(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.')));
      }
      put(v, key, val.trim(), "environment variable " + name);
    });
    overrides.forEach((k, val) -> put(v, k.trim(), val.trim(), "--set"));
    return new TillstreamConfig(v);
  }

  /** Parses a list of KEY=VALUE strings as given to --set. */
  public static Map<String, String> parseAssignments(Iterable<String> assignments) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new ConfigError("--set expects KEY=VALUE, got '" + a + "'");
      }
      m.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
    }
    return m;
  }

  private static void put(Map<String, String> v, String key, String value, String origin) {
    if (!ConfigKeys.all().containsKey(key) && !key.startsWith(ConfigKeys.SPARK_PREFIX)) {
      throw new ConfigError("unknown configuration key '" + key + "' (from " + origin + ")" + nearest(key));
    }
    v.put(key, value);
  }

  private static String keyForEnv(String envName) {
    String wanted = envName.substring(ENV_PREFIX.length());
    for (String key : ConfigKeys.all().keySet()) {
      if (key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').equals(wanted)) {
        return key;
      }
    }
    return null;
  }

  static String nearest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : ConfigKeys.all().keySet()) {
      int d = LevenshteinDistance.getDefaultInstance().apply(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best == null ? "" : "; did you mean '" + best + "'? (scripts/tillstream config lists every key)";
  }

  /** Parses every key once: a bad value fails here, naming the key. */
  private void validate() {
    ConfigKeys.all().values().forEach(this::get);
  }

  /** The value of {@code key}, parsed to its declared type. */
  public <T> T get(ConfigKey<T> key) {
    return key.parse(text(key.name()));
  }

  /** The text of any key, declared or a spark.* one, as configured. */
  public String text(String key) {
    String v = values.get(key);
    if (v == null && !values.containsKey(key)) {
      throw new IllegalArgumentException("not a configuration key: " + key);
    }
    return v;
  }

  /** "available-now" (null) or a duration such as 10s; {@code source} names the option in errors. */
  public static Duration parseTrigger(String value, String source) {
    try {
      return ConfigTypes.TRIGGER.parse().apply(value.trim());
    } catch (RuntimeException e) {
      throw new ConfigError(source + "=" + value + " is not valid: use " + ConfigTypes.TRIGGER.expected());
    }
  }

  /** Severity of every quality rule after overrides. */
  public Map<String, Severity> severities() {
    Map<String, Severity> m = new LinkedHashMap<>();
    for (String id : QualityRules.ids()) {
      m.put(id, get(ConfigKeys.severity(id)));
    }
    return m;
  }

  /** Spark settings from this configuration (keys starting with spark.). */
  public Map<String, String> sparkSettings() {
    Map<String, String> m = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(ConfigKeys.SPARK_PREFIX)) {
        m.put(k, v);
      }
    });
    return m;
  }

  public TillstreamConfig with(ConfigKey<?> key, String value) {
    return with(key.name(), value);
  }

  public TillstreamConfig with(String key, String value) {
    Map<String, String> v = new LinkedHashMap<>(values);
    put(v, key, value, "code");
    return new TillstreamConfig(v);
  }

  /** All effective values, sorted. May hold secrets (spark.hadoop.fs.s3a.secret.key ...): print {@link #masked}. */
  public Map<String, String> effective() {
    return new TreeMap<>(values);
  }

  private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
      "(?i).*(secret|password|passwd|token|credential|keytab|jaas|signature|\\.key)$|.*(secret|password).*");

  /** Whether a key holds a secret (passwords, tokens, access and secret keys), whose value is never shown. */
  public static boolean isSecret(String key) {
    return SECRET.matcher(key).matches();
  }

  /** The effective values for display: every secret value (when set) replaced by ****. */
  public Map<String, String> masked() {
    Map<String, String> m = new TreeMap<>(values);
    m.replaceAll((k, v) -> isSecret(k) && !v.isEmpty() ? "****" : v);
    return m;
  }
}
