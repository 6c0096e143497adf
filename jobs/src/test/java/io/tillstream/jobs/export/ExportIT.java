package io.tillstream.jobs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tillstream.jobs.testing.Commands;
import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.lake.Lake;
import io.tillstream.testing.SparkTestSession;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * export against a real PostgreSQL (scripts/postgres, with a password): the figures there equal gold, a second
 * export changes nothing, and a late event rewrites exactly the days it touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportIT {
  static final Path HOME = Paths.get("..").toAbsolutePath().normalize();
  static final String PASSWORD = "export-it-" + Long.toHexString(System.nanoTime());

  @TempDir
  static Path work;
  static Path lake;
  static String url;
  static Map<String, String> env;

  @BeforeAll
  static void startPostgresAndBuildTheLake() throws Exception {
    Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String out = postgres("start", "--port", String.valueOf(port));
    url = out.strip().lines().reduce((a, b) -> b).orElseThrow();
    assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/tillstream?user=tillstream", url, out);
    lake = work.resolve("lake");
    SamplesLake.copyTo(lake);
    env = new HashMap<>(SamplesLake.ENV);
    env.put(PostgresExport.PASSWORD_ENV, PASSWORD);
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres("stop");
  }

  @Test
  @Order(1)
  void exportCopiesEveryGoldTableWithItsTypesAndFigures() throws Exception {
    Commands.Result r = Commands.run(env, "export", "--lake", lake.toString(), "--jdbc-url", url);
    assertEquals(0, r.code(), r.err());
    Map<String, Long> goldDays = new TreeMap<>();
    for (ExportedTable t : ExportedTable.values()) {
      goldDays.put(t.pgName(), lakeSql("SELECT count(DISTINCT " + t.dateColumn() + ") FROM " + t.table()
          .qualifiedName()).get(0).getLong(0));
    }
    for (ExportedTable t : ExportedTable.values()) {
      long days = goldDays.get(t.pgName());
      assertTrue(r.out().contains(t.pgName() + ": " + days + (days == 1 ? " day" : " days") + " written ("
          + count(t) + " rows), 0 deleted, 0 unchanged"), r.out());
    }
    assertFalse((r.out() + r.err()).contains(PASSWORD));
    try (Connection pg = connect()) {
      assertEquals(List.of("business_date date", "store_id text", "category text", "orders bigint",
          "units_sold bigint", "gross_amount numeric(18,2)", "discount_amount numeric(18,2)",
          "net_amount numeric(18,2)", "refund_amount numeric(18,2)", "net_after_refunds numeric(18,2)",
          "customers bigint"), columns(pg, "daily_sales"));
      assertEquals("PRIMARY KEY (business_date, store_id, category)", primaryKey(pg, "daily_sales"));
      assertEquals("PRIMARY KEY (business_date, rule_id, event_id)", primaryKey(pg, "suspicious_transactions"));
    }
    assertTablesEqualGold();
  }

  @Test
  @Order(2)
  void aSecondExportChangesNothing() throws Exception {
    String before = exportState();
    Commands.Result r = Commands.run(env, "export", "--lake", lake.toString(), "--jdbc-url", url);
    assertEquals(0, r.code(), r.err());
    assertEquals(5, r.out().lines().filter(l -> l.matches(".*: 0 days written \\(0 rows\\), 0 deleted, \\d+"
        + " unchanged")).count(), r.out());
    assertEquals(before, exportState());
    assertTablesEqualGold();
  }

  @Test
  @Order(3)
  void aLateEventRewritesExactlyItsDay() throws Exception {
    Path late = work.resolve("late");
    Files.createDirectories(late);
    Files.writeString(late.resolve("late.jsonl"), "{\"schema_version\":1,\"event_id\":\"e-late-export-1\","
        + "\"event_type\":\"sale\",\"event_time\":\"2025-03-05T12:00:00+09:00\",\"order_id\":\"o-late-export-1\","
        + "\"store_id\":\"JP-TOKYO-01\",\"channel\":\"pos\",\"currency\":\"JPY\",\"customer\":null,"
        + "\"payment\":{\"method\":\"cash\"},\"items\":[{\"sku\":\"SKU-00181\",\"quantity\":2,"
        + "\"unit_price\":1000.00}]}\n", StandardCharsets.UTF_8);
    Commands.Result batch = Commands.run(SamplesLake.ENV, "batch", "--input", late.toString(), "--dims",
        SamplesLake.SAMPLES.resolve("dims").toString(), "--lake", lake.toString());
    assertEquals(0, batch.code(), batch.err());
    Map<String, String> before = exportStateByDay();

    Commands.Result r = Commands.run(env, "export", "--lake", lake.toString(), "--jdbc-url", url, "--tables",
        "daily_sales");
    assertEquals(0, r.code(), r.err());
    long days = lakeSql("SELECT count(DISTINCT business_date) FROM gold.daily_sales").get(0).getLong(0);
    long rowsThatDay = lakeSql("SELECT count(*) FROM gold.daily_sales WHERE business_date = DATE'2025-03-05'")
        .get(0).getLong(0);
    assertEquals("gold.daily_sales: 1 day written (" + rowsThatDay + " rows), 0 deleted, " + (days - 1)
        + " unchanged", r.out().strip());
    Map<String, String> after = exportStateByDay();
    after.keySet().forEach(k -> {
      if (k.startsWith("gold.daily_sales 2025-03-05")) {
        assertFalse(after.get(k).equals(before.get(k)), k);
      } else {
        assertEquals(before.get(k), after.get(k), k);
      }
    });
    assertEquals(pgSql("SELECT sum(net_amount)::text FROM gold.daily_sales WHERE business_date = '2025-03-05'"),
        lakeSql("SELECT CAST(sum(net_amount) AS STRING) FROM gold.daily_sales WHERE business_date ="
            + " DATE'2025-03-05'").get(0).getString(0));
  }

  @Test
  @Order(4)
  void aRangeExportsOnlyItsDaysAndNoPasswordGoesInTheUrl() throws Exception {
    Commands.Result r = Commands.run(env, "export", "--lake", lake.toString(), "--jdbc-url", url, "--from",
        "2025-03-01", "--to", "2025-03-02");
    assertEquals(0, r.code(), r.err());
    long march = lakeSql("SELECT count(*) FROM gold.monthly_sales WHERE month = DATE'2025-03-01'").get(0).getLong(0);
    assertEquals("""
        gold.daily_sales: 0 days written (0 rows), 0 deleted, 2 unchanged
        gold.monthly_sales: 1 day written (%d rows), 0 deleted, 0 unchanged
        gold.product_trends: 0 days written (0 rows), 0 deleted, 2 unchanged
        gold.customer_value: 0 days written (0 rows), 0 deleted, 0 unchanged
        gold.suspicious_transactions: 0 days written (0 rows), 0 deleted, 0 unchanged
        """.formatted(march), r.out()); // only March of monthly_sales saw the late sale (test 3 exported days only)
    Commands.Result inUrl = Commands.run(env, "export", "--lake", lake.toString(), "--jdbc-url",
        url + "&password=" + PASSWORD);
    assertEquals(2, inUrl.code(), inUrl.err());
    assertTrue(inUrl.err().contains("export.jdbc-url: the JDBC URL holds a password; remove it and set"
        + " TILLSTREAM_JDBC_PASSWORD instead"), inUrl.err());
    Map<String, String> wrong = new HashMap<>(env);
    wrong.put(PostgresExport.PASSWORD_ENV, "not-" + PASSWORD);
    Commands.Result denied = Commands.run(wrong, "export", "--lake", lake.toString(), "--jdbc-url", url);
    assertEquals(1, denied.code(), denied.out());
    assertTrue(denied.err().contains("password authentication failed for user \"tillstream\""), denied.err());
    assertFalse((denied.out() + denied.err()).contains(PASSWORD));
    Commands.Result noLake = Commands.run(env, "export", "--lake", work.resolve("no-lake").toString(),
        "--jdbc-url", url, "--tables", "daily_sales");
    assertEquals(0, noLake.code(), noLake.err());
    assertEquals("gold.daily_sales: not in the lake, left as it is\n", noLake.out());
    assertEquals(String.valueOf(count(ExportedTable.DAILY_SALES)), pgSql("SELECT count(*) FROM gold.daily_sales"));
  }

  @Test
  @Order(5)
  void dailyExportsTheDaysItsRunChanged() throws Exception {
    Path landing = work.resolve("landing");
    Files.createDirectories(landing.resolve("date=2026-01-10"));
    Files.writeString(landing.resolve("date=2026-01-10/late.jsonl"), "{\"schema_version\":1,"
        + "\"event_id\":\"e-late-export-2\",\"event_type\":\"sale\",\"event_time\":\"2025-03-06T12:00:00+00:00\","
        + "\"order_id\":\"o-late-export-2\",\"store_id\":\"GB-LONDON-01\",\"channel\":\"pos\",\"currency\":\"GBP\","
        + "\"customer\":null,\"payment\":{\"method\":\"cash\"},\"items\":[{\"sku\":\"SKU-00103\",\"quantity\":3,"
        + "\"unit_price\":4.91}]}\n", StandardCharsets.UTF_8);
    String[] daily = {"daily", "--landing", landing.toString(), "--date", "2026-01-10", "--dims",
        SamplesLake.SAMPLES.resolve("dims").toString(), "--lake", lake.toString(), "--set", "daily.export=true"};
    Commands.Result noUrl = Commands.run(env, daily);
    assertEquals(2, noUrl.code(), noUrl.err());
    assertTrue(noUrl.err().contains("daily.export=true needs export.jdbc-url"), noUrl.err());

    Map<String, String> withUrl = new HashMap<>(env);
    withUrl.put("TILLSTREAM_EXPORT_JDBC_URL", url);
    Commands.Result r = Commands.run(withUrl, daily);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("export gold.daily_sales: 1 day written"), r.out());
    assertEquals(pgSql("SELECT sum(net_amount)::text FROM gold.daily_sales WHERE business_date = '2025-03-06'"),
        lakeSql("SELECT CAST(sum(net_amount) AS STRING) FROM gold.daily_sales WHERE business_date ="
            + " DATE'2025-03-06'").get(0).getString(0));
    assertTablesEqualGold();
  }

  /**
   * Every exported table holds exactly gold's rows: each row's values as text, in key order; nested values (JSON in
   * PostgreSQL) compared as JSON.
   */
  private static void assertTablesEqualGold() throws SQLException {
    for (ExportedTable t : ExportedTable.values()) {
      String key = String.join(", ", t.key());
      List<String> flat = new java.util.ArrayList<>();
      List<String> nested = new java.util.ArrayList<>();
      for (var f : t.table().schema().fields()) {
        (PgTable.isNested(f.dataType()) ? nested : flat).add(f.name());
      }
      String lakeRow = flat.stream().map(c -> "coalesce(" + sparkText(t, c) + ", '')").reduce((a, b) -> a + ", " + b)
          .orElseThrow();
      String pgRow = flat.stream().map(c -> "coalesce(" + pgText(t, c) + ", '')").reduce((a, b) -> a + " || '|' || "
          + b).orElseThrow();
      String from = " FROM " + t.table().qualifiedName() + " ORDER BY " + key;
      StringBuilder expected = new StringBuilder();
      for (Row r : lakeSql("SELECT concat_ws('|', " + lakeRow + ")" + from)) {
        expected.append(r.getString(0)).append('\n');
      }
      assertEquals(expected.toString(), pgColumn("SELECT " + pgRow + " FROM " + t.pgName() + " ORDER BY " + key),
          t.pgName());
      for (String c : nested) {
        List<JsonNode> lakeJson = new java.util.ArrayList<>();
        for (Row r : lakeSql("SELECT to_json(" + c + ")" + from)) {
          lakeJson.add(json(r.getString(0)));
        }
        List<JsonNode> pgJson = pgColumn("SELECT " + c + "::text FROM " + t.pgName() + " ORDER BY " + key).lines()
            .map(ExportIT::json).toList();
        assertEquals(lakeJson, pgJson, t.pgName() + "." + c);
      }
    }
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String pgColumn(String sql) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (Connection pg = connect(); Statement s = pg.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        sb.append(r.getString(1)).append('\n');
      }
    }
    return sb.toString();
  }

  /** A value as text, the same in both: timestamps to the microsecond in UTC. */
  private static String sparkText(ExportedTable t, String c) {
    return t.table().schema().apply(c).dataType() instanceof TimestampType
        ? "date_format(" + c + ", 'yyyy-MM-dd HH:mm:ss.SSSSSS')" : "CAST(" + c + " AS STRING)";
  }

  private static String pgText(ExportedTable t, String c) {
    return t.table().schema().apply(c).dataType() instanceof TimestampType
        ? "to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')" : c + "::text";
  }

  private static long count(ExportedTable t) {
    return lakeSql("SELECT count(*) FROM " + t.table().qualifiedName()).get(0).getLong(0);
  }

  private static List<Row> lakeSql(String sql) {
    SparkSession spark = SparkTestSession.get();
    new Lake(spark, lake.toString()).registerTables();
    return spark.sql(sql).collectAsList();
  }

  private static String pgSql(String sql) throws SQLException {
    try (Connection pg = connect(); Statement s = pg.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  private static List<String> columns(Connection pg, String table) throws SQLException {
    List<String> cols = new java.util.ArrayList<>();
    try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery("SELECT column_name || ' ' ||"
        + " CASE WHEN data_type = 'numeric' THEN 'numeric(' || numeric_precision || ',' || numeric_scale || ')'"
        + " ELSE data_type END FROM information_schema.columns WHERE table_schema = 'gold' AND table_name = '"
        + table + "' ORDER BY ordinal_position")) {
      while (r.next()) {
        cols.add(r.getString(1));
      }
    }
    return cols;
  }

  private static String primaryKey(Connection pg, String table) throws SQLException {
    try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery("SELECT pg_get_constraintdef(oid) FROM"
        + " pg_constraint WHERE contype = 'p' AND conrelid = 'gold." + table + "'::regclass")) {
      r.next();
      return r.getString(1);
    }
  }

  private static String exportState() throws SQLException {
    return exportStateByDay().toString();
  }

  private static Map<String, String> exportStateByDay() throws SQLException {
    Map<String, String> state = new TreeMap<>();
    try (Connection pg = connect(); Statement s = pg.createStatement(); ResultSet r = s.executeQuery(
        "SELECT table_name || ' ' || day, fingerprint || ' ' || exported_at FROM " + ExportState.TABLE)) {
      while (r.next()) {
        state.put(r.getString(1), r.getString(2));
      }
    }
    return state;
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "tillstream", PASSWORD);
  }

  private static String postgres(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(HOME.resolve("scripts/postgres").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--dir", work.resolve("postgres").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put(PostgresExport.PASSWORD_ENV, PASSWORD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, out);
    return out;
  }
}
