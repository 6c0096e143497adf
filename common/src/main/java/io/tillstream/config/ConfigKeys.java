package io.tillstream.config;

import io.tillstream.pipeline.PipelineContext;
import io.tillstream.quality.QualityRule;
import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every configuration key Tillstream knows, each declared once: name, default, description and type (which is its
 * validation). The configuration, its environment layer, `config` output and conf/tillstream.properties derive from
 * these declarations.
 */
public final class ConfigKeys {
  private static final Map<String, ConfigKey<?>> KEYS = new LinkedHashMap<>();

  /** Keys under this prefix are handed to Spark unchanged (besides the ones declared below). */
  public static final String SPARK_PREFIX = "spark.";

  /** Shortest retention VACUUM may use: a running job's data files are unreferenced until its commit. */
  public static final Duration MIN_MAINTAIN_RETENTION = Duration.ofHours(1);

  /** A rule's severity key is this prefix and the rule id. */
  public static final String SEVERITY_PREFIX = "quality.severity.";

  public static final ConfigKey<String> REPORTING_CURRENCY = add(new ConfigKey<>("reporting.currency", "EUR",
      "ISO-4217 currency every amount is converted to",
      ConfigTypes.CURRENCY));
  public static final ConfigKey<Duration> FUTURE_TOLERANCE = add(new ConfigKey<>("quality.future-tolerance", "1d",
      "how far after processing time an event_time may lie (e.g. 1d, 6h, 30m)",
      ConfigTypes.DURATION));
  public static final ConfigKey<Integer> FX_MAX_AGE_DAYS = add(new ConfigKey<>("fx.max-age-days", "7",
      "oldest FX rate, in days before the business date, that may still be used",
      ConfigTypes.NON_NEGATIVE_INT));
  public static final ConfigKey<Integer> DEDUP_HORIZON_DAYS = add(new ConfigKey<>("dedup.horizon-days",
      String.valueOf(PipelineContext.DEFAULT_DEDUP_HORIZON_DAYS),
      "an event id counts as seen before when silver holds it within this many days of the new record's "
          + "business date (a redelivery has the same date; a changed version further away is accepted as new); "
          + "bounds what a run reads of silver",
      ConfigTypes.NON_NEGATIVE_INT));
  public static final ConfigKey<Boolean> GOLD_PUBLISH_PARQUET = add(new ConfigKey<>("gold.publish-parquet", "false",
      "also publish every gold table as plain partitioned Parquet under <lake>/published",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<Boolean> LARGE_ORDER_ENABLED = add(new ConfigKey<>("suspicious.large-order.enabled",
      "true",
      "flag orders whose net amount reaches suspicious.large-order.min-net",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<BigDecimal> LARGE_ORDER_MIN_NET = add(new ConfigKey<>("suspicious.large-order.min-net",
      "5000",
      "order net amount, in reporting currency, that makes an order suspicious",
      ConfigTypes.NON_NEGATIVE_DECIMAL));
  public static final ConfigKey<Boolean> CARD_VELOCITY_ENABLED = add(new ConfigKey<>("suspicious.card-velocity.enabled",
      "true",
      "flag bursts of sales on one card",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<Integer> CARD_VELOCITY_MIN_SALES = add(new ConfigKey<>(
      "suspicious.card-velocity.min-sales",
      "5",
      "sales with one card token within the window that fire card_velocity",
      ConfigTypes.POSITIVE_INT));
  public static final ConfigKey<Duration> CARD_VELOCITY_WINDOW = add(new ConfigKey<>("suspicious.card-velocity.window",
      "10m",
      "event-time window of card_velocity",
      ConfigTypes.DURATION));
  public static final ConfigKey<Boolean> MULTI_STORE_ENABLED = add(new ConfigKey<>(
      "suspicious.multi-store-card.enabled",
      "true",
      "flag one card used at several stores in a short time",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<Integer> MULTI_STORE_MIN_STORES = add(new ConfigKey<>(
      "suspicious.multi-store-card.min-stores",
      "3",
      "distinct stores for one card token within the window that fire multi_store_card",
      ConfigTypes.POSITIVE_INT));
  public static final ConfigKey<Duration> MULTI_STORE_WINDOW = add(new ConfigKey<>("suspicious.multi-store-card.window",
      "60m",
      "event-time window of multi_store_card",
      ConfigTypes.DURATION));
  public static final ConfigKey<String> LAKE_ROOT = add(new ConfigKey<>("lake.root", "lake",
      "lake root: a folder or any Hadoop file system URI (file:/, hdfs://, s3a://); --lake wins",
      ConfigTypes.nonBlank("a folder or a Hadoop file system URI such as file:/data/lake or s3a://bucket/lake")));
  public static final ConfigKey<String> SPARK_MASTER = add(new ConfigKey<>("spark.master", "local[*]",
      "Spark master when the job builds its own session (under spark-submit its --master wins)",
      ConfigTypes.matching("local(\\[(\\*|\\d+)(,\\d+)?])?|(spark|k8s|mesos)://\\S+|yarn",
          "local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL")));
  public static final ConfigKey<Integer> SHUFFLE_PARTITIONS = add(new ConfigKey<>("spark.sql.shuffle.partitions", "4",
      "Spark shuffle partitions; small values are faster on small machines (under spark-submit its --conf "
          + "wins)",
      ConfigTypes.POSITIVE_INT));
  public static final ConfigKey<String> PII_KEY_ID = add(new ConfigKey<>("pii.key-id", "k1",
      "id stored beside every PII token, so the key (env TILLSTREAM_PII_KEY) can rotate",
      ConfigTypes.matching("[A-Za-z0-9_.-]{1,32}", "1-32 letters, digits, '_', '.' or '-'")));
  public static final ConfigKey<Duration> STREAM_GOLD_INTERVAL = add(new ConfigKey<>("stream.gold-interval", "0s",
      "how often the stream refreshes gold (e.g. 5s: silver every micro-batch, gold.daily_sales by a thread of its"
          + " own beside them, 5 s after its last refresh ended, for the days touched since, the other gold tables"
          + " every stream.gold-others-interval; 0s: every gold table every micro-batch, after its silver)",
      ConfigTypes.DURATION));
  public static final ConfigKey<Duration> STREAM_GOLD_OTHERS_INTERVAL = add(new ConfigKey<>(
      "stream.gold-others-interval", "30s",
      "with stream.gold-interval above 0s: how often a second gold thread refreshes the gold tables other than"
          + " daily_sales (monthly_sales, product_trends, suspicious_transactions, customer_value), counted from the"
          + " end of its last refresh (and stream.gold-others-backoff times its length); 0s or less than"
          + " stream.gold-interval: on daily sales' cadence",
      ConfigTypes.DURATION));
  public static final ConfigKey<Boolean> STREAM_GOLD_DAILY_SALES_BY_ADDING = add(new ConfigKey<>(
      "stream.gold-daily-sales-by-adding", "true",
      "with stream.gold-interval above 0s: keep gold.daily_sales by adding the lines silver gained to totals held"
          + " in memory (false: recompute its touched days from silver on every refresh, slower)",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<Integer> STREAM_GOLD_OTHERS_BACKOFF = add(new ConfigKey<>(
      "stream.gold-others-backoff", "3",
      "after a refresh of the gold tables other than daily_sales, wait at least this many times its length before"
          + " the next (3: under load they take at most a quarter of the time, and the micro-batches the rest;"
          + " 0: only stream.gold-others-interval, for fresher windowed alerts)",
      ConfigTypes.NON_NEGATIVE_INT));
  public static final ConfigKey<Duration> STREAM_TRIGGER = add(new ConfigKey<>("stream.trigger", "10s",
      "micro-batch interval of the streaming job (e.g. 2s, 10s, 1m) or available-now; --trigger wins",
      ConfigTypes.TRIGGER));
  public static final ConfigKey<String> STREAM_CHECKPOINT = add(new ConfigKey<>("stream.checkpoint", "",
      "folder holding the streaming checkpoints (stream-kafka-<topic>, stream-files), any Hadoop file "
          + "system URI; empty: <lake>/_checkpoints; --checkpoint names one exactly",
      ConfigTypes.TEXT));
  public static final ConfigKey<String> STREAM_KAFKA_STARTING_OFFSETS = add(new ConfigKey<>(
      "stream.kafka.starting-offsets",
      "earliest",
      "where a new streaming checkpoint starts reading Kafka: earliest, latest or Spark's JSON offsets",
      ConfigTypes.KAFKA_STARTING_OFFSETS));
  public static final ConfigKey<Integer> STREAM_KAFKA_MAX_OFFSETS = add(new ConfigKey<>(
      "stream.kafka.max-offsets-per-trigger",
      "200000",
      "most Kafka records one micro-batch reads (all partitions together)",
      ConfigTypes.POSITIVE_INT));
  public static final ConfigKey<Boolean> STREAM_KAFKA_FAIL_ON_DATA_LOSS = add(new ConfigKey<>(
      "stream.kafka.fail-on-data-loss",
      "true",
      "stop the stream when Kafka offsets it has not read were deleted or are out of range",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<Integer> STREAM_FILES_MAX_FILES = add(new ConfigKey<>(
      "stream.files.max-files-per-trigger",
      "20",
      "most new files one micro-batch of the file stream reads",
      ConfigTypes.POSITIVE_INT));
  public static final ConfigKey<Duration> STREAM_DIMS_SETTLE = add(new ConfigKey<>("stream.dims.settle", "2s",
      "how long changed reference files must stay unchanged before a running stream reloads them (0s to 1m)",
      ConfigTypes.durationAtMost(Duration.ofMinutes(1),
          "at most 1m (the micro-batch that sees the change waits that long)")));
  public static final ConfigKey<Boolean> STREAM_ALERTS_ENABLED = add(new ConfigKey<>("stream.alerts.enabled", "true",
      "send new suspicious transactions as JSON to a Kafka topic",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<String> STREAM_ALERTS_TOPIC = add(new ConfigKey<>("stream.alerts.topic", "alerts",
      "Kafka topic the streaming job sends alerts to",
      ConfigTypes.matching("[A-Za-z0-9._-]{1,249}", "a Kafka topic name (letters, digits, '.', '_', '-')")));
  public static final ConfigKey<String> STREAM_ALERTS_BOOTSTRAP = add(new ConfigKey<>("stream.alerts.bootstrap", "",
      "Kafka bootstrap servers for alerts (empty: the source's --bootstrap; the file stream sends none)",
      ConfigTypes.matching("|[^\\s,:]+:\\d+(,[^\\s,:]+:\\d+)*", "empty or HOST:PORT[,HOST:PORT...]")));
  public static final ConfigKey<Duration> MAINTAIN_RETENTION = add(new ConfigKey<>("maintain.retention", "7d",
      "time-travel window VACUUM keeps (at least 1h: a running job's uncommitted files must survive)",
      ConfigTypes.durationAtLeast(MIN_MAINTAIN_RETENTION, "at least 1h (a shorter window could delete files a"
          + " running job has written but not yet committed), e.g. 1h, 24h or 7d")));
  public static final ConfigKey<Boolean> MAINTAIN_ZORDER = add(new ConfigKey<>("maintain.zorder", "false",
      "maintain Z-orders by store_id and sku (where a table has them with statistics); --zorder wins",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<Integer> MAINTAIN_RETRIES = add(new ConfigKey<>("maintain.retries", "5",
      "attempts of a maintenance commit that conflicts with a concurrent writer, with back-off",
      ConfigTypes.POSITIVE_INT));
  public static final ConfigKey<Boolean> STREAM_ALERTS_FAST_PATH = add(new ConfigKey<>("stream.alerts.fast-path",
      "true",
      "run large_order in its own query in Spark's real-time mode on the Kafka source, so its alerts leave "
          + "within a second",
      ConfigTypes.BOOLEAN));
  public static final ConfigKey<Duration> STREAM_ALERTS_CHECKPOINT_INTERVAL = add(new ConfigKey<>(
      "stream.alerts.checkpoint-interval",
      "1m",
      "how often the real-time large_order query checkpoints its Kafka offsets (a restart re-sends at most "
          + "this much of alerts; not a latency)",
      ConfigTypes.durationAtLeast(Duration.ofSeconds(5), "at least 5s, e.g. 1m")));
  public static final ConfigKey<String> SCHEDULE_LANDING = add(new ConfigKey<>("schedule.landing", "landing",
      "landing root of daily/backfill: the day's files are under <landing>/date=YYYY-MM-DD (any Hadoop file"
          + " system URI); --landing wins",
      ConfigTypes.nonBlank("a folder or a Hadoop file system URI holding date=YYYY-MM-DD folders")));
  public static final ConfigKey<ZoneId> SCHEDULE_TIME_ZONE = add(new ConfigKey<>("schedule.time-zone", "UTC",
      "time zone whose yesterday is the default day of daily (e.g. UTC, Europe/Paris)",
      ConfigTypes.ZONE));
  public static final ConfigKey<Integer> SCHEDULE_RETRIES = add(new ConfigKey<>("schedule.retries", "3",
      "retries of a daily/backfill day after a transient failure (I/O, concurrent Delta commit, Spark job)",
      ConfigTypes.NON_NEGATIVE_INT));
  public static final ConfigKey<Duration> SCHEDULE_RETRY_BACKOFF = add(new ConfigKey<>("schedule.retry-backoff", "30s",
      "wait before the first retry of a day; doubles on each further retry (e.g. 30s, 2m)",
      ConfigTypes.DURATION));
  public static final ConfigKey<Path> SCHEDULE_LOCK_DIR = add(new ConfigKey<>("schedule.lock-dir", "",
      "local folder of the lock files that stop two daily/backfill runs on one lake from overlapping "
          + "(empty: <java.io.tmpdir>/tillstream-locks)",
      ConfigTypes.LOCK_DIR));
  public static final ConfigKey<String> HISTORY_EVENT_LOG_DIR = add(new ConfigKey<>("history.event-log-dir", "",
      "folder of the Spark event logs runs write for the History Server (scripts/history-server), any Hadoop "
          + "file system URI; empty: <lake>/ops/_spark-events",
      ConfigTypes.TEXT));
  public static final ConfigKey<Integer> METRICS_PORT = add(new ConfigKey<>("metrics.port", "9464",
      "port of the stream's Prometheus endpoint http://<metrics.host>:<port>/metrics (0: no endpoint)",
      ConfigTypes.PORT));
  public static final ConfigKey<String> METRICS_HOST = add(new ConfigKey<>("metrics.host", "127.0.0.1",
      "address the stream's Prometheus endpoint binds to (loopback; 0.0.0.0 for every interface)",
      ConfigTypes.nonBlank("a host name or IP address")));
  public static final ConfigKey<String> METRICS_TEXTFILE_DIR = add(new ConfigKey<>("metrics.textfile-dir", "",
      "folder where batch, daily, backfill, replay-quarantine and maintain leave their metrics for node_exporter's"
          + " textfile collector (tillstream_<job>.prom, replaced atomically by each run); empty: off",
      ConfigTypes.LOCAL_FOLDER_OR_EMPTY));

  public static final ConfigKey<String> SQL_REMOTE = add(new ConfigKey<>("sql.remote", "",
      "Spark Connect server the sql command sends its statement to (sc://HOST:PORT, started by serve); empty: the"
          + " sql command starts its own Spark session; --remote wins",
      ConfigTypes.matching("|sc://[^\\s/:]+:\\d+/?(;[^\\s;]+)*",
          "empty or sc://HOST:PORT, e.g. sc://127.0.0.1:15002")));
  public static final ConfigKey<String> SERVE_HOST = add(new ConfigKey<>("serve.host", "127.0.0.1",
      "address serve's Spark Connect endpoint binds to; any other than loopback requires the token in"
          + " TILLSTREAM_SQL_TOKEN",
      ConfigTypes.nonBlank("a host name or IP address")));
  public static final ConfigKey<Integer> SERVE_PORT = add(new ConfigKey<>("serve.port", "15002",
      "port of serve's Spark Connect endpoint (sc://<serve.host>:<port>); --port wins",
      ConfigTypes.PORT));

  public static final ConfigKey<String> EXPORT_JDBC_URL = add(new ConfigKey<>("export.jdbc-url", "",
      "PostgreSQL database export copies gold into (jdbc:postgresql://HOST:PORT/DB?user=USER; the password comes"
          + " from TILLSTREAM_JDBC_PASSWORD, never from here); --jdbc-url wins",
      ConfigTypes.matching("|jdbc:postgresql:[^\\s]*", "empty or jdbc:postgresql://HOST:PORT/DB?user=USER")));
  public static final ConfigKey<Boolean> DAILY_EXPORT = add(new ConfigKey<>("daily.export", "false",
      "after its run, daily exports the gold days that changed to export.jdbc-url (see export)",
      ConfigTypes.BOOLEAN));

  static {
    for (QualityRule rule : QualityRules.all()) {
      add(severityKey(rule));
    }
  }

  /** The key of {@code ruleId}'s severity. */
  @SuppressWarnings("unchecked")
  public static ConfigKey<Severity> severity(String ruleId) {
    return (ConfigKey<Severity>) KEYS.get(SEVERITY_PREFIX + QualityRules.byId(ruleId).id());
  }

  private static ConfigKey<Severity> severityKey(QualityRule rule) {
    return new ConfigKey<>(SEVERITY_PREFIX + rule.id(), rule.defaultSeverity().label(), "severity of rule "
        + rule.id() + ": one of " + rule.allowedLabels(), ConfigTypes.severity(rule));
  }

  private static <T> ConfigKey<T> add(ConfigKey<T> key) {
    KEYS.put(key.name(), key);
    return key;
  }

  /** Every key by name, in declaration order. */
  public static Map<String, ConfigKey<?>> all() {
    return Collections.unmodifiableMap(KEYS);
  }

  /** conf/tillstream.properties as it ships: every key with its description and default, sorted by name. */
  public static String defaultsFile() {
    StringBuilder sb = new StringBuilder("""
        # Tillstream configuration: every key with its default. Copy, edit, pass with --conf FILE.
        # Layering: these defaults < --conf FILE < TILLSTREAM_* environment variables < --set KEY=VALUE.
        # Any spark.* key is handed to Spark. The PII key is NOT configuration: export TILLSTREAM_PII_KEY.
        """);
    new TreeMap<>(KEYS).values().forEach(k -> sb.append("\n# ").append(k.description()).append('\n')
        .append(k.name()).append('=').append(k.defaultValue()).append('\n'));
    return sb.toString();
  }

  private ConfigKeys() {}
}
