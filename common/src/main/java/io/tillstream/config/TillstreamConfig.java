package io.tillstream.config;

import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Currency;
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
      "TILLSTREAM_SPARK_HOME", "TILLSTREAM_CLUSTER_DIR", "TILLSTREAM_KAFKA_DIR", "TILLSTREAM_KAFKA_JAVA_OPTS");

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


  private void validate() {
    reportingCurrency();
    futureTolerance();
    fxMaxAgeDays();
    dedupHorizonDays();
    bool(ConfigKeys.GOLD_PUBLISH_PARQUET);
    bool(ConfigKeys.LARGE_ORDER_ENABLED);
    bool(ConfigKeys.CARD_VELOCITY_ENABLED);
    bool(ConfigKeys.MULTI_STORE_ENABLED);
    largeOrderMinNet();
    positiveInt(ConfigKeys.CARD_VELOCITY_MIN_SALES);
    positiveInt(ConfigKeys.MULTI_STORE_MIN_STORES);
    duration(ConfigKeys.CARD_VELOCITY_WINDOW);
    duration(ConfigKeys.MULTI_STORE_WINDOW);
    streamAlertsCheckpointInterval();
    duration(ConfigKeys.STREAM_GOLD_INTERVAL);
    positiveInt(ConfigKeys.SHUFFLE_PARTITIONS);
    if (!get(ConfigKeys.PII_KEY_ID).matches("[A-Za-z0-9_.-]{1,32}")) {
      throw bad(ConfigKeys.PII_KEY_ID, "1-32 letters, digits, '_', '.' or '-'");
    }
    severities();
    if (get(ConfigKeys.LAKE_ROOT).isBlank()) {
      throw bad(ConfigKeys.LAKE_ROOT, "a folder or a Hadoop file system URI such as file:/data/lake or s3a://bucket/lake");
    }
    streamTrigger();
    positiveInt(ConfigKeys.STREAM_KAFKA_MAX_OFFSETS);
    bool(ConfigKeys.STREAM_KAFKA_FAIL_ON_DATA_LOSS);
    positiveInt(ConfigKeys.STREAM_FILES_MAX_FILES);
    streamDimsSettle();
    bool(ConfigKeys.STREAM_ALERTS_ENABLED);
    bool(ConfigKeys.STREAM_ALERTS_FAST_PATH);
    if (!get(ConfigKeys.STREAM_ALERTS_TOPIC).matches("[A-Za-z0-9._-]{1,249}")) {
      throw bad(ConfigKeys.STREAM_ALERTS_TOPIC, "a Kafka topic name (letters, digits, '.', '_', '-')");
    }
    if (!get(ConfigKeys.STREAM_ALERTS_BOOTSTRAP).matches("|[^\\s,:]+:\\d+(,[^\\s,:]+:\\d+)*")) {
      throw bad(ConfigKeys.STREAM_ALERTS_BOOTSTRAP, "empty or HOST:PORT[,HOST:PORT...]");
    }
    String offsets = get(ConfigKeys.STREAM_KAFKA_STARTING_OFFSETS);
    if (!offsets.equals("earliest") && !offsets.equals("latest") && !offsets.startsWith("{")) {
      throw bad(ConfigKeys.STREAM_KAFKA_STARTING_OFFSETS, "earliest, latest or Spark's JSON offsets {\"topic\":{\"0\":42}}");
    }
    if (!get(ConfigKeys.SPARK_MASTER).matches("local(\\[(\\*|\\d+)(,\\d+)?])?|(spark|k8s|mesos)://\\S+|yarn")) {
      throw bad(ConfigKeys.SPARK_MASTER, "local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL");
    }
    scheduleLanding();
    scheduleTimeZone();
    scheduleRetries();
    scheduleRetryBackoff();
    scheduleLockDir();
    maintainRetention();
    bool(ConfigKeys.MAINTAIN_ZORDER);
    positiveInt(ConfigKeys.MAINTAIN_RETRIES);
  }

  /** Shortest retention VACUUM may use: a running job's data files are unreferenced until its commit. */
  public static final Duration MIN_MAINTAIN_RETENTION = Duration.ofHours(1);

  /** The time-travel window VACUUM keeps; at least {@link #MIN_MAINTAIN_RETENTION}. */
  public Duration maintainRetention() {
    Duration d = duration(ConfigKeys.MAINTAIN_RETENTION);
    if (d.compareTo(MIN_MAINTAIN_RETENTION) < 0) {
      throw bad(ConfigKeys.MAINTAIN_RETENTION, "at least 1h (a shorter window could delete files a running job "
          + "has written but not yet committed), e.g. 1h, 24h or 7d");
    }
    return d;
  }

  /** Root of the landing folders of daily and backfill (--landing overrides it). */
  public String scheduleLanding() {
    String v = get(ConfigKeys.SCHEDULE_LANDING);
    if (v.isBlank()) {
      throw bad(ConfigKeys.SCHEDULE_LANDING, "a folder or a Hadoop file system URI holding date=YYYY-MM-DD folders");
    }
    return v;
  }

  public ZoneId scheduleTimeZone() {
    try {
      return ZoneId.of(get(ConfigKeys.SCHEDULE_TIME_ZONE));
    } catch (DateTimeException e) {
      throw bad(ConfigKeys.SCHEDULE_TIME_ZONE, "a time zone id such as UTC, Europe/Paris or America/New_York");
    }
  }

  public int scheduleRetries() {
    return nonNegativeInt(ConfigKeys.SCHEDULE_RETRIES);
  }

  public Duration scheduleRetryBackoff() {
    return duration(ConfigKeys.SCHEDULE_RETRY_BACKOFF);
  }

  /** The lock folder: the configured local folder, or <java.io.tmpdir>/tillstream-locks when empty. */
  public Path scheduleLockDir() {
    String v = get(ConfigKeys.SCHEDULE_LOCK_DIR);
    if (v.isBlank()) {
      return Path.of(System.getProperty("java.io.tmpdir"), "tillstream-locks");
    }
    String local = v.startsWith("file:") ? v.replaceFirst("^file:(//)?", "") : v;
    if (local.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      throw bad(ConfigKeys.SCHEDULE_LOCK_DIR, "a local folder (locks are operating-system file locks on this machine)");
    }
    return Path.of(local);
  }

  /** The streaming trigger: a positive interval, or null for available-now. */
  public Duration streamTrigger() {
    return parseTrigger(get(ConfigKeys.STREAM_TRIGGER), ConfigKeys.STREAM_TRIGGER);
  }

  /** "available-now" (null) or a duration such as 10s; {@code source} names the key or option in errors. */
  public static Duration parseTrigger(String value, String source) {
    if (value.trim().equalsIgnoreCase("available-now")) {
      return null;
    }
    try {
      Duration d = parseDuration(value);
      if (d.isZero()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (RuntimeException e) {
      throw new ConfigError(source + "=" + value + " is not valid: use available-now or an interval such as 2s, "
          + "10s or 1m");
    }
  }

  /** How often the real-time alert query checkpoints; Spark's real-time mode needs at least 5 s. */
  public Duration streamAlertsCheckpointInterval() {
    Duration d = duration(ConfigKeys.STREAM_ALERTS_CHECKPOINT_INTERVAL);
    if (d.compareTo(Duration.ofSeconds(5)) < 0) {
      throw bad(ConfigKeys.STREAM_ALERTS_CHECKPOINT_INTERVAL, "at least 5s, e.g. 1m");
    }
    return d;
  }

  /** How long changed reference files must stay unchanged before a running stream reloads them. */
  public Duration streamDimsSettle() {
    Duration d = duration(ConfigKeys.STREAM_DIMS_SETTLE);
    if (d.compareTo(Duration.ofMinutes(1)) > 0) {
      throw bad(ConfigKeys.STREAM_DIMS_SETTLE, "at most 1m (the micro-batch that sees the change waits that long)");
    }
    return d;
  }

  public int positiveIntValue(String key) {
    return positiveInt(key);
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null && !values.containsKey(key)) {
      throw new IllegalArgumentException("not a configuration key: " + key);
    }
    return v;
  }

  /** The lake root from configuration (--lake overrides it). */
  public String lakeRoot() {
    return get(ConfigKeys.LAKE_ROOT);
  }

  public String reportingCurrency() {
    String c = get(ConfigKeys.REPORTING_CURRENCY);
    try {
      if (!c.equals(Currency.getInstance(c).getCurrencyCode())) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw bad(ConfigKeys.REPORTING_CURRENCY, "an ISO-4217 code such as EUR or USD");
    }
    return c;
  }

  public Duration futureTolerance() {
    return duration(ConfigKeys.FUTURE_TOLERANCE);
  }

  public int fxMaxAgeDays() {
    int d = nonNegativeInt(ConfigKeys.FX_MAX_AGE_DAYS);
    return d;
  }

  /** Days around a record's business date within which silver is searched for its event id. */
  public int dedupHorizonDays() {
    return nonNegativeInt(ConfigKeys.DEDUP_HORIZON_DAYS);
  }

  public boolean publishGoldParquet() {
    return bool(ConfigKeys.GOLD_PUBLISH_PARQUET);
  }

  public BigDecimal largeOrderMinNet() {
    try {
      BigDecimal b = new BigDecimal(get(ConfigKeys.LARGE_ORDER_MIN_NET));
      if (b.signum() < 0) {
        throw new NumberFormatException();
      }
      return b;
    } catch (NumberFormatException e) {
      throw bad(ConfigKeys.LARGE_ORDER_MIN_NET, "a non-negative decimal amount such as 5000");
    }
  }

  public int intValue(String key) {
    return positiveInt(key);
  }

  public boolean bool(String key) {
    String v = get(key).toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return v.equals("true");
    }
    throw bad(key, "true or false");
  }

  public Duration duration(String key) {
    try {
      return parseDuration(get(key));
    } catch (RuntimeException e) {
      throw bad(key, "a duration such as 1d, 6h, 10m, 30s or PT1H");
    }
  }

  /** 1d, 6h, 10m, 30s or ISO-8601 (PT1H); throws on anything else or a negative value. */
  private static Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("p")) {
      return requireNonNegative(Duration.parse(v.toUpperCase(Locale.ROOT)));
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return requireNonNegative(switch (v.charAt(v.length() - 1)) {
      case 'd' -> Duration.ofDays(n);
      case 'h' -> Duration.ofHours(n);
      case 'm' -> Duration.ofMinutes(n);
      case 's' -> Duration.ofSeconds(n);
      default -> throw new NumberFormatException();
    });
  }

  private static Duration requireNonNegative(Duration d) {
    if (d.isNegative()) {
      throw new NumberFormatException();
    }
    return d;
  }

  private int positiveInt(String key) {
    int n = nonNegativeInt(key);
    if (n == 0) {
      throw bad(key, "a positive integer");
    }
    return n;
  }

  private int nonNegativeInt(String key) {
    try {
      int n = Integer.parseInt(get(key));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad(key, "a non-negative integer");
    }
  }

  /** Severity of every quality rule after overrides. */
  public Map<String, Severity> severities() {
    Map<String, Severity> m = new LinkedHashMap<>();
    for (String id : QualityRules.ids()) {
      String key = ConfigKeys.SEVERITY_PREFIX + id;
      Severity s = Severity.parse(get(key));
      if (s == null || !QualityRules.byId(id).allowed().contains(s)) {
        throw bad(key, "one of " + QualityRules.byId(id).allowedLabels());
      }
      m.put(id, s);
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

  private ConfigError bad(String key, String expected) {
    return new ConfigError("bad value '" + values.get(key) + "' for configuration key '" + key + "': expected "
        + expected);
  }
}
