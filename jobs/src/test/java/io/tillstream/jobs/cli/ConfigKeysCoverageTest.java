package io.tillstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKey;
import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.Main;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.stream.StreamCommand;
import io.tillstream.jobs.stream.StreamSettings;
import io.tillstream.privacy.PiiKey;
import io.tillstream.quality.QualityRule;
import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every documented configuration key is checked: a bad value fails naming the key, and the keys that take any text
 * are exercised below. The shipped profiles load, and secrets never print.
 */
class ConfigKeysCoverageTest {
  static final Path CONF = Paths.get("..", "conf").toAbsolutePath().normalize();
  /** Keys whose every non-blank value is valid; each is exercised by a test of this class. */
  static final Set<String> FREE_TEXT = Set.of(ConfigKeys.STREAM_CHECKPOINT.name(),
      ConfigKeys.HISTORY_EVENT_LOG_DIR.name());
  static final List<String> BAD_VALUES = List.of("not valid!", "", "-1", "0", "s3a://bucket/x");

  @Test
  void everyKeyRejectsABadValueNamingTheKey() {
    List<String> unchecked = new ArrayList<>();
    for (String key : ConfigKeys.all().keySet()) {
      boolean rejected = false;
      for (String bad : BAD_VALUES) {
        try {
          TillstreamConfig.load(null, Map.of(), Map.of(key, bad));
        } catch (ConfigError e) {
          assertTrue(e.getMessage().contains("'" + key + "'") || e.getMessage().startsWith(key + "="),
              key + ": " + e.getMessage());
          rejected = true;
        }
      }
      if (!rejected && !FREE_TEXT.contains(key)) {
        unchecked.add(key);
      }
    }
    assertEquals(List.of(), unchecked, "keys that accept any value: validate them or test them here");
  }

  /** A valid value other than the default for every key but the quality severities (derived below). */
  static final Map<String, String> NON_DEFAULT = Map.ofEntries(
      Map.entry(ConfigKeys.REPORTING_CURRENCY.name(), "USD"),
      Map.entry(ConfigKeys.SQL_REMOTE.name(), "sc://127.0.0.1:15003"),
      Map.entry(ConfigKeys.SERVE_HOST.name(), "0.0.0.0"),
      Map.entry(ConfigKeys.SERVE_PORT.name(), "15003"),
      Map.entry(ConfigKeys.EXPORT_JDBC_URL.name(), "jdbc:postgresql://127.0.0.1:5432/shop?user=etl"),
      Map.entry(ConfigKeys.DAILY_EXPORT.name(), "true"),
      Map.entry(ConfigKeys.FUTURE_TOLERANCE.name(), "6h"),
      Map.entry(ConfigKeys.FX_MAX_AGE_DAYS.name(), "3"),
      Map.entry(ConfigKeys.DEDUP_HORIZON_DAYS.name(), "400"),
      Map.entry(ConfigKeys.GOLD_PUBLISH_PARQUET.name(), "true"),
      Map.entry(ConfigKeys.LARGE_ORDER_ENABLED.name(), "false"),
      Map.entry(ConfigKeys.LARGE_ORDER_MIN_NET.name(), "7500.50"),
      Map.entry(ConfigKeys.CARD_VELOCITY_ENABLED.name(), "false"),
      Map.entry(ConfigKeys.CARD_VELOCITY_MIN_SALES.name(), "7"),
      Map.entry(ConfigKeys.CARD_VELOCITY_WINDOW.name(), "15m"),
      Map.entry(ConfigKeys.MULTI_STORE_ENABLED.name(), "false"),
      Map.entry(ConfigKeys.MULTI_STORE_MIN_STORES.name(), "4"),
      Map.entry(ConfigKeys.MULTI_STORE_WINDOW.name(), "2h"),
      Map.entry(ConfigKeys.LAKE_ROOT.name(), "/data/env-lake"),
      Map.entry(ConfigKeys.STREAM_CHECKPOINT.name(), "/data/env-checkpoints"),
      Map.entry(ConfigKeys.SPARK_MASTER.name(), "local[3]"),
      Map.entry(ConfigKeys.SHUFFLE_PARTITIONS.name(), "8"),
      Map.entry(ConfigKeys.PII_KEY_ID.name(), "k2"),
      Map.entry(ConfigKeys.STREAM_TRIGGER.name(), "30s"),
      Map.entry(ConfigKeys.STREAM_KAFKA_STARTING_OFFSETS.name(), "latest"),
      Map.entry(ConfigKeys.STREAM_KAFKA_MAX_OFFSETS.name(), "5000"),
      Map.entry(ConfigKeys.STREAM_KAFKA_FAIL_ON_DATA_LOSS.name(), "false"),
      Map.entry(ConfigKeys.STREAM_FILES_MAX_FILES.name(), "5"),
      Map.entry(ConfigKeys.STREAM_DIMS_SETTLE.name(), "10s"),
      Map.entry(ConfigKeys.STREAM_ALERTS_ENABLED.name(), "false"),
      Map.entry(ConfigKeys.STREAM_ALERTS_TOPIC.name(), "fraud-alerts"),
      Map.entry(ConfigKeys.STREAM_ALERTS_BOOTSTRAP.name(), "10.0.0.5:9092"),
      Map.entry(ConfigKeys.STREAM_ALERTS_FAST_PATH.name(), "false"),
      Map.entry(ConfigKeys.STREAM_ALERTS_CHECKPOINT_INTERVAL.name(), "30s"),
      Map.entry(ConfigKeys.STREAM_GOLD_INTERVAL.name(), "1m"),
      Map.entry(ConfigKeys.STREAM_GOLD_OTHERS_INTERVAL.name(), "5m"),
      Map.entry(ConfigKeys.STREAM_GOLD_OTHERS_BACKOFF.name(), "0"),
      Map.entry(ConfigKeys.STREAM_GOLD_DAILY_SALES_BY_ADDING.name(), "false"),
      Map.entry(ConfigKeys.SCHEDULE_LANDING.name(), "/srv/landing"),
      Map.entry(ConfigKeys.SCHEDULE_TIME_ZONE.name(), "Europe/Paris"),
      Map.entry(ConfigKeys.SCHEDULE_RETRIES.name(), "1"),
      Map.entry(ConfigKeys.SCHEDULE_RETRY_BACKOFF.name(), "2m"),
      Map.entry(ConfigKeys.SCHEDULE_LOCK_DIR.name(), "/var/lock/tillstream"),
      Map.entry(ConfigKeys.MAINTAIN_RETENTION.name(), "2d"),
      Map.entry(ConfigKeys.MAINTAIN_ZORDER.name(), "true"),
      Map.entry(ConfigKeys.MAINTAIN_RETRIES.name(), "9"),
      Map.entry(ConfigKeys.HISTORY_EVENT_LOG_DIR.name(), "hdfs://nn/spark-events"),
      Map.entry(ConfigKeys.METRICS_PORT.name(), "19464"),
      Map.entry(ConfigKeys.METRICS_HOST.name(), "0.0.0.0"),
      Map.entry(ConfigKeys.METRICS_TEXTFILE_DIR.name(), "/var/lib/node-exporter/textfile"));

  /**
   * Each key set through its TILLSTREAM_ variable to a valid non-default value must come out with that value. A
   * severity whose rule allows nothing but its default cannot take another valid value: another one given through
   * the variable must be rejected naming the key (so the variable reached it too).
   */
  @Test
  void theEnvironmentLayerReachesEveryKey() {
    List<String> withoutValue = new ArrayList<>();
    int reached = 0;
    for (ConfigKey<?> key : ConfigKeys.all().values()) {
      String env = "TILLSTREAM_" + key.name().toUpperCase().replace('.', '_').replace('-', '_');
      QualityRule rule = key.name().startsWith(ConfigKeys.SEVERITY_PREFIX)
          ? QualityRules.byId(key.name().substring(ConfigKeys.SEVERITY_PREFIX.length())) : null;
      String value = rule == null ? NON_DEFAULT.get(key.name()) : rule.allowed().stream().sorted()
          .map(Severity::label).filter(l -> !l.equals(key.defaultValue())).findFirst().orElse(null);
      if (key.name().equals(ConfigKeys.PII_KEY_ID.name())) {
        // Its variable is the key's own TILLSTREAM_PII_KEY_ID, which the PII key reads and which wins over the key.
        assertEquals(PiiKey.ENV_KEY_ID, env);
        assertEquals(value, PiiKey.fromEnvironment(Map.of(PiiKey.ENV_KEY, "env-layer-test-key-0123", env, value),
            TillstreamConfig.load(null, Map.of(env, value), Map.of()).text(key.name()), false).id());
        reached++;
      } else if (value != null) {
        assertFalse(value.equals(key.defaultValue()), key.name());
        assertEquals(value, TillstreamConfig.load(null, Map.of(env, value), Map.of()).text(key.name()), env);
        reached++;
      } else if (rule != null) {
        String other = rule.defaultSeverity() == Severity.FAIL ? "warn" : "fail";
        ConfigError e = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(env, other),
            Map.of()), env);
        assertTrue(e.getMessage().contains("'" + key.name() + "'"), e.getMessage());
        reached++;
      } else {
        withoutValue.add(key.name());
      }
    }
    assertEquals(List.of(), withoutValue, "give these keys a non-default value in NON_DEFAULT");
    assertEquals(ConfigKeys.all().size(), reached);
  }

  @Test
  void streamCheckpointIsTheFolderOfEachSourcesCheckpoint() {
    StreamSettings kafka = stream(Map.of(), "--source", "kafka", "--bootstrap", "h:1", "--topic", "sales",
        "--lake", "/data/lake", "--set", "stream.checkpoint=hdfs://nn:8020/ckpt/").settings();
    assertEquals("hdfs://nn:8020/ckpt/stream-kafka-sales", kafka.checkpoint());
    StreamSettings files = stream(Map.of("TILLSTREAM_STREAM_CHECKPOINT", "file:///ckpt"), "--source", "files",
        "--input", "/in", "--lake", "/data/lake").settings();
    assertEquals("file:///ckpt/stream-files", files.checkpoint());
    StreamSettings byDefault = stream(Map.of(), "--source", "files", "--input", "/in", "--lake",
        "s3a://bucket/lake").settings();
    assertEquals("s3a://bucket/lake/_checkpoints/stream-files", byDefault.checkpoint());
    StreamSettings exact = stream(Map.of(), "--source", "files", "--input", "/in", "--checkpoint", "/c",
        "--set", "stream.checkpoint=/ignored").settings();
    assertEquals("/c", exact.checkpoint());
  }

  @Test
  void eventLogsGoUnderTheLakesOpsFolderUnlessTheKeyNamesAnother() {
    assertEquals("s3a://bucket/lake/ops/_spark-events", RunSession.eventLogDir(TillstreamConfig.defaults(),
        "s3a://bucket/lake/"));
    assertEquals("hdfs://nn/spark-events", RunSession.eventLogDir(TillstreamConfig.load(null,
        Map.of("TILLSTREAM_HISTORY_EVENT_LOG_DIR", "hdfs://nn/spark-events"), Map.of()), "/data/lake"));
  }

  @Test
  void lakeRootIsTheDefaultLakeAndTheOptionWins() {
    assertEquals("lake", lake(Map.of()));
    assertEquals("s3a://bucket/lake", lake(Map.of(), "--set", "lake.root=s3a://bucket/lake"));
    assertEquals("hdfs://nn/lake", lake(Map.of("TILLSTREAM_LAKE_ROOT", "hdfs://nn/lake")));
    assertEquals("/other", lake(Map.of(), "--lake", "/other", "--set", "lake.root=/x"));
  }

  @Test
  void theShippedProfilesAndDefaultsFileAreValidConfigurations() throws IOException {
    TillstreamConfig local = TillstreamConfig.load(CONF.resolve("profiles/local.properties"), Map.of(), Map.of());
    assertEquals("local[*]", local.text("spark.master"));
    assertEquals("lake", local.get(ConfigKeys.LAKE_ROOT));
    TillstreamConfig standalone = TillstreamConfig.load(CONF.resolve("profiles/standalone.properties"), Map.of(),
        Map.of());
    assertEquals("spark://127.0.0.1:7077", standalone.text("spark.master"));
    assertTrue(standalone.get(ConfigKeys.LAKE_ROOT).startsWith("file:///"), "standalone lakes must be absolute");
    assertTrue(standalone.get(ConfigKeys.STREAM_CHECKPOINT).startsWith("file:///"));
    try (Stream<Path> profiles = Files.list(CONF.resolve("profiles"))) {
      assertEquals(2, profiles.filter(p -> p.toString().endsWith(".properties")).count());
    }
  }

  @Test
  void secretsAreMaskedWhenTheConfigurationIsPrinted() {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    int code = Main.run(new String[] {"config", "--set", "spark.hadoop.fs.s3a.secret.key=s3cr3t-value",
        "--set", "spark.hadoop.fs.s3a.access.key=AKIAEXAMPLE", "--set", "spark.ssl.keyPassword=pw-value",
        "--set", "spark.hadoop.fs.s3a.endpoint=http://minio:9000"},
        Map.of("TILLSTREAM_PII_KEY", "pii-key-never-printed"), new java.io.PrintStream(buf), System.err);
    String out = buf.toString();
    assertEquals(0, code);
    for (String secret : List.of("s3cr3t-value", "AKIAEXAMPLE", "pw-value", "pii-key-never-printed")) {
      assertFalse(out.contains(secret), secret + " printed:\n" + out);
    }
    assertTrue(out.contains("spark.hadoop.fs.s3a.secret.key=****"), out);
    assertTrue(out.contains("spark.hadoop.fs.s3a.endpoint=http://minio:9000"), out);
    assertTrue(out.contains("pii.key-id=k1"), out);
    assertTrue(out.contains("# TILLSTREAM_PII_KEY=****"), out);
  }

  private static StreamCommand stream(Map<String, String> env, String... args) {
    return Cli.parsed(new Main(), CommandContext.of(env, System.out, System.err), Stream.concat(Stream.of("stream"),
        Arrays.stream(args)).toArray(String[]::new));
  }

  private static String lake(Map<String, String> env, String... args) {
    BatchCommand batch = Cli.parsed(new Main(), CommandContext.of(env, System.out, System.err),
        Stream.concat(Stream.of("batch"), Arrays.stream(args)).toArray(String[]::new));
    return batch.settings().lake();
  }
}
