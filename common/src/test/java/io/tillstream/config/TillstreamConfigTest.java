package io.tillstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.quality.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TillstreamConfigTest {

  @Test
  void layersApplyInOrderDefaultsFileEnvironmentSet(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.properties");
    Files.writeString(file, "reporting.currency=USD\nfx.max-age-days=3\nquality.future-tolerance=6h\n");
    TillstreamConfig c = TillstreamConfig.load(file,
        Map.of("TILLSTREAM_FX_MAX_AGE_DAYS", "5", "TILLSTREAM_PII_KEY", "ignored-secret", "PATH", "/bin"),
        Map.of("quality.future-tolerance", "30m"));
    assertEquals("USD", c.get(ConfigKeys.REPORTING_CURRENCY));
    assertEquals(5, c.get(ConfigKeys.FX_MAX_AGE_DAYS));
    assertEquals(Duration.ofMinutes(30), c.get(ConfigKeys.FUTURE_TOLERANCE));
    assertEquals(Duration.ofDays(1), TillstreamConfig.defaults().get(ConfigKeys.FUTURE_TOLERANCE));
  }

  @Test
  void unknownKeysFailNamingTheNearestKey() {
    ConfigError e = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(),
        Map.of("reporting.curency", "EUR")));
    assertTrue(e.getMessage().contains("'reporting.curency'") && e.getMessage().contains("'reporting.currency'"),
        e.getMessage());
    ConfigError env = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null,
        Map.of("TILLSTREAM_REPORTING_CURENCY", "EUR"), Map.of()));
    assertTrue(env.getMessage().contains("TILLSTREAM_REPORTING_CURENCY"), env.getMessage());
  }

  @Test
  void badValuesFailNamingKeyAndExpectation() {
    ConfigError e = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(),
        Map.of("reporting.currency", "EURO")));
    assertTrue(e.getMessage().contains("reporting.currency") && e.getMessage().contains("ISO-4217"), e.getMessage());
    assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(), Map.of("fx.max-age-days", "-1")));
    assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(),
        Map.of("suspicious.card-velocity.window", "ten minutes")));
    ConfigError sev = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(),
        Map.of("quality.severity.malformed_record", "warn")));
    assertTrue(sev.getMessage().contains("drop, fail") || sev.getMessage().contains("quarantine"), sev.getMessage());
    // Spark's real-time mode refuses a checkpoint interval under 5 s; say so before the stream starts.
    ConfigError rt = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(),
        Map.of("stream.alerts.checkpoint-interval", "2s")));
    assertTrue(rt.getMessage().contains("stream.alerts.checkpoint-interval") && rt.getMessage().contains("at least 5s"),
        rt.getMessage());
  }

  @Test
  void severitiesCanBeOverridden() {
    TillstreamConfig c = TillstreamConfig.load(null, Map.of(), Map.of("quality.severity.event_time_in_future", "warn",
        "quality.severity.malformed_record", "drop"));
    assertEquals(Severity.WARN, c.severities().get("event_time_in_future"));
    assertEquals(Severity.DROP, c.severities().get("malformed_record"));
    assertEquals(Severity.QUARANTINE, c.severities().get("unknown_store"));
    assertEquals(Severity.WARN, c.severities().get("unknown_sku"));
  }

  @Test
  void theDefaultsFileIsRenderedFromTheDeclarations() throws IOException {
    assertEquals(ConfigKeys.defaultsFile(), Files.readString(Path.of("..", "conf", "tillstream.properties")));
  }

  @Test
  void theDocumentedDefaultsFileLoadsAndEqualsTheDefaults() {
    TillstreamConfig documented = TillstreamConfig.load(Path.of("..", "conf", "tillstream.properties"), Map.of(),
        Map.of());
    assertEquals(TillstreamConfig.defaults().effective(), documented.effective());
  }

  @Test
  void maintenanceKeysHaveSafeDefaultsAndARetentionOfAtLeastOneHour() {
    TillstreamConfig d = TillstreamConfig.defaults();
    assertEquals(Duration.ofDays(7), d.get(ConfigKeys.MAINTAIN_RETENTION));
    assertEquals(false, d.get(ConfigKeys.MAINTAIN_ZORDER));
    assertEquals(5, d.get(ConfigKeys.MAINTAIN_RETRIES));
    TillstreamConfig c = TillstreamConfig.load(null, Map.of("TILLSTREAM_MAINTAIN_ZORDER", "true"),
        Map.of("maintain.retention", "1h", "maintain.retries", "2"));
    assertEquals(Duration.ofHours(1), c.get(ConfigKeys.MAINTAIN_RETENTION));
    assertEquals(true, c.get(ConfigKeys.MAINTAIN_ZORDER));
    assertEquals(2, c.get(ConfigKeys.MAINTAIN_RETRIES));
    ConfigError shortWindow = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(),
        Map.of("maintain.retention", "59m")));
    assertTrue(shortWindow.getMessage().contains("'maintain.retention'")
        && shortWindow.getMessage().contains("at least 1h"), shortWindow.getMessage());
    assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(), Map.of("maintain.retention", "week")));
    ConfigError retries = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(),
        Map.of("maintain.retries", "0")));
    assertTrue(retries.getMessage().contains("'maintain.retries'"), retries.getMessage());
    assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(), Map.of("maintain.zorder", "yes")));
  }

  @Test
  void sparkKeysPassThrough() {
    TillstreamConfig c = TillstreamConfig.load(null, Map.of(), Map.of("spark.sql.shuffle.partitions", "8",
        "spark.executor.memory", "2g"));
    assertEquals("8", c.sparkSettings().get("spark.sql.shuffle.partitions"));
    assertEquals("2g", c.sparkSettings().get("spark.executor.memory"));
  }

  @Test
  void scheduleKeysHaveDefaultsAndRejectBadValuesNamingTheKey() {
    TillstreamConfig d = TillstreamConfig.defaults();
    assertEquals("landing", d.get(ConfigKeys.SCHEDULE_LANDING));
    assertEquals(java.time.ZoneId.of("UTC"), d.get(ConfigKeys.SCHEDULE_TIME_ZONE));
    assertEquals(3, d.get(ConfigKeys.SCHEDULE_RETRIES));
    assertEquals(Duration.ofSeconds(30), d.get(ConfigKeys.SCHEDULE_RETRY_BACKOFF));
    assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "tillstream-locks"),
        d.get(ConfigKeys.SCHEDULE_LOCK_DIR));
    TillstreamConfig c = TillstreamConfig.load(null, Map.of("TILLSTREAM_SCHEDULE_TIME_ZONE", "Europe/Paris"),
        Map.of("schedule.retries", "0", "schedule.retry-backoff", "2m", "schedule.lock-dir", "file:///var/lock/ts",
            "schedule.landing", "s3a://bucket/landing"));
    assertEquals(java.time.ZoneId.of("Europe/Paris"), c.get(ConfigKeys.SCHEDULE_TIME_ZONE));
    assertEquals(0, c.get(ConfigKeys.SCHEDULE_RETRIES));
    assertEquals(Duration.ofMinutes(2), c.get(ConfigKeys.SCHEDULE_RETRY_BACKOFF));
    assertEquals(Path.of("/var/lock/ts"), c.get(ConfigKeys.SCHEDULE_LOCK_DIR));
    assertEquals("s3a://bucket/landing", c.get(ConfigKeys.SCHEDULE_LANDING));
    Map<String, String> bad = Map.of("schedule.time-zone", "Mars/Olympus", "schedule.retries", "-1",
        "schedule.retry-backoff", "soon", "schedule.lock-dir", "s3a://bucket/locks", "schedule.landing", " ");
    bad.forEach((key, value) -> {
      ConfigError e = assertThrows(ConfigError.class, () -> TillstreamConfig.load(null, Map.of(), Map.of(key, value)));
      assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    });
  }
}
