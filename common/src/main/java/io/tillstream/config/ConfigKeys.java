package io.tillstream.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every configuration key Tillstream knows, with its default and a one-line description. */
public final class ConfigKeys {
  public record Key(String name, String defaultValue, String description) {}

  public static final String REPORTING_CURRENCY = "reporting.currency";
  public static final String FUTURE_TOLERANCE = "quality.future-tolerance";
  public static final String SEVERITY_PREFIX = "quality.severity.";
  public static final String FX_MAX_AGE_DAYS = "fx.max-age-days";
  public static final String DEDUP_HORIZON_DAYS = "dedup.horizon-days";
  public static final String GOLD_PUBLISH_PARQUET = "gold.publish-parquet";
  public static final String LARGE_ORDER_ENABLED = "suspicious.large-order.enabled";
  public static final String LARGE_ORDER_MIN_NET = "suspicious.large-order.min-net";
  public static final String CARD_VELOCITY_ENABLED = "suspicious.card-velocity.enabled";
  public static final String CARD_VELOCITY_MIN_SALES = "suspicious.card-velocity.min-sales";
  public static final String CARD_VELOCITY_WINDOW = "suspicious.card-velocity.window";
  public static final String MULTI_STORE_ENABLED = "suspicious.multi-store-card.enabled";
  public static final String MULTI_STORE_MIN_STORES = "suspicious.multi-store-card.min-stores";
  public static final String MULTI_STORE_WINDOW = "suspicious.multi-store-card.window";
  public static final String LAKE_ROOT = "lake.root";
  public static final String STREAM_CHECKPOINT = "stream.checkpoint";
  public static final String SPARK_MASTER = "spark.master";
  public static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  public static final String PII_KEY_ID = "pii.key-id";
  public static final String STREAM_TRIGGER = "stream.trigger";
  public static final String STREAM_GOLD_INTERVAL = "stream.gold-interval";
  public static final String STREAM_KAFKA_STARTING_OFFSETS = "stream.kafka.starting-offsets";
  public static final String STREAM_KAFKA_MAX_OFFSETS = "stream.kafka.max-offsets-per-trigger";
  public static final String STREAM_KAFKA_FAIL_ON_DATA_LOSS = "stream.kafka.fail-on-data-loss";
  public static final String STREAM_FILES_MAX_FILES = "stream.files.max-files-per-trigger";
  public static final String STREAM_DIMS_SETTLE = "stream.dims.settle";
  public static final String STREAM_ALERTS_ENABLED = "stream.alerts.enabled";
  public static final String STREAM_ALERTS_TOPIC = "stream.alerts.topic";
  public static final String STREAM_ALERTS_BOOTSTRAP = "stream.alerts.bootstrap";
  public static final String STREAM_ALERTS_FAST_PATH = "stream.alerts.fast-path";
  public static final String STREAM_ALERTS_CHECKPOINT_INTERVAL = "stream.alerts.checkpoint-interval";
  public static final String SCHEDULE_LANDING = "schedule.landing";
  public static final String SCHEDULE_TIME_ZONE = "schedule.time-zone";
  public static final String SCHEDULE_RETRIES = "schedule.retries";
  public static final String SCHEDULE_RETRY_BACKOFF = "schedule.retry-backoff";
  public static final String SCHEDULE_LOCK_DIR = "schedule.lock-dir";
  public static final String MAINTAIN_RETENTION = "maintain.retention";
  public static final String MAINTAIN_ZORDER = "maintain.zorder";
  public static final String MAINTAIN_RETRIES = "maintain.retries";

  /** Keys under this prefix are handed to Spark unchanged (besides the ones declared below). */
  public static final String SPARK_PREFIX = "spark.";

  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  static {
    add(REPORTING_CURRENCY, "EUR", "ISO-4217 currency every amount is converted to");
    add(FUTURE_TOLERANCE, "1d", "how far after processing time an event_time may lie (e.g. 1d, 6h, 30m)");
    add(FX_MAX_AGE_DAYS, "7", "oldest FX rate, in days before the business date, that may still be used");
    add(DEDUP_HORIZON_DAYS, String.valueOf(io.tillstream.pipeline.PipelineContext.DEFAULT_DEDUP_HORIZON_DAYS), "an event id counts as seen before when silver holds it within this many days of the"
        + " new record's business date (a redelivery has the same date; a changed version further away is accepted"
        + " as new); bounds what a run reads of silver");
    add(GOLD_PUBLISH_PARQUET, "false", "also publish every gold table as plain partitioned Parquet under <lake>/published");
    add(LARGE_ORDER_ENABLED, "true", "flag orders whose net amount reaches suspicious.large-order.min-net");
    add(LARGE_ORDER_MIN_NET, "5000", "order net amount, in reporting currency, that makes an order suspicious");
    add(CARD_VELOCITY_ENABLED, "true", "flag bursts of sales on one card");
    add(CARD_VELOCITY_MIN_SALES, "5", "sales with one card token within the window that fire card_velocity");
    add(CARD_VELOCITY_WINDOW, "10m", "event-time window of card_velocity");
    add(MULTI_STORE_ENABLED, "true", "flag one card used at several stores in a short time");
    add(MULTI_STORE_MIN_STORES, "3", "distinct stores for one card token within the window that fire multi_store_card");
    add(MULTI_STORE_WINDOW, "60m", "event-time window of multi_store_card");
    add(LAKE_ROOT, "lake", "lake root: a folder or any Hadoop file system URI (file:/, hdfs://, s3a://); --lake wins");
    add(SPARK_MASTER, "local[*]", "Spark master when the job builds its own session (under spark-submit its --master wins)");
    add(SHUFFLE_PARTITIONS, "4", "Spark shuffle partitions; small values are faster on small machines (under spark-submit its --conf wins)");
    add(PII_KEY_ID, "k1", "id stored beside every PII token, so the key (env TILLSTREAM_PII_KEY) can rotate");
    add(STREAM_GOLD_INTERVAL, "0s", "how often the stream refreshes gold (0s: every micro-batch; e.g. 1m: silver every micro-batch, gold at most once a minute for the days touched since)");
    add(STREAM_TRIGGER, "10s", "micro-batch interval of the streaming job (e.g. 2s, 10s, 1m) or available-now; --trigger wins");
    add(STREAM_CHECKPOINT, "", "folder holding the streaming checkpoints (stream-kafka-<topic>, stream-files), any Hadoop file system URI; empty: <lake>/_checkpoints; --checkpoint names one exactly");
    add(STREAM_KAFKA_STARTING_OFFSETS, "earliest", "where a new streaming checkpoint starts reading Kafka: earliest, latest or Spark's JSON offsets");
    add(STREAM_KAFKA_MAX_OFFSETS, "200000", "most Kafka records one micro-batch reads (all partitions together)");
    add(STREAM_KAFKA_FAIL_ON_DATA_LOSS, "true", "stop the stream when Kafka offsets it has not read were deleted or are out of range");
    add(STREAM_FILES_MAX_FILES, "20", "most new files one micro-batch of the file stream reads");
    add(STREAM_DIMS_SETTLE, "2s", "how long changed reference files must stay unchanged before a running stream reloads them (0s to 1m)");
    add(STREAM_ALERTS_ENABLED, "true", "send new suspicious transactions as JSON to a Kafka topic");
    add(STREAM_ALERTS_TOPIC, "alerts", "Kafka topic the streaming job sends alerts to");
    add(STREAM_ALERTS_BOOTSTRAP, "", "Kafka bootstrap servers for alerts (empty: the source's --bootstrap; the file stream sends none)");
    add(MAINTAIN_RETENTION, "7d", "time-travel window VACUUM keeps (at least 1h: a running job's uncommitted files must survive)");
    add(MAINTAIN_ZORDER, "false", "maintain Z-orders by store_id and sku (where a table has them with statistics); --zorder wins");
    add(MAINTAIN_RETRIES, "5", "attempts of a maintenance commit that conflicts with a concurrent writer, with back-off");
    add(STREAM_ALERTS_FAST_PATH, "true", "run large_order in its own query in Spark's real-time mode on the Kafka source, so its alerts leave within a second");
    add(STREAM_ALERTS_CHECKPOINT_INTERVAL, "1m", "how often the real-time large_order query checkpoints its Kafka offsets (a restart re-sends at most this much of alerts; not a latency)");
    add(SCHEDULE_LANDING, "landing", "landing root of daily/backfill: the day's files are under <landing>/date=YYYY-MM-DD (any Hadoop file system URI); --landing wins");
    add(SCHEDULE_TIME_ZONE, "UTC", "time zone whose yesterday is the default day of daily (e.g. UTC, Europe/Paris)");
    add(SCHEDULE_RETRIES, "3", "retries of a daily/backfill day after a transient failure (I/O, concurrent Delta commit, Spark job)");
    add(SCHEDULE_RETRY_BACKOFF, "30s", "wait before the first retry of a day; doubles on each further retry (e.g. 30s, 2m)");
    add(SCHEDULE_LOCK_DIR, "", "local folder of the lock files that stop two daily/backfill runs on one lake from overlapping (empty: <java.io.tmpdir>/tillstream-locks)");
    for (String rule : io.tillstream.quality.QualityRules.ids()) {
      add(SEVERITY_PREFIX + rule, io.tillstream.quality.QualityRules.byId(rule).defaultSeverity().label(),
          "severity of rule " + rule + ": one of " + io.tillstream.quality.QualityRules.byId(rule).allowedLabels());
    }
  }

  private static void add(String name, String def, String description) {
    KEYS.put(name, new Key(name, def, description));
  }

  public static Map<String, Key> all() {
    return KEYS;
  }

  private ConfigKeys() {}
}
