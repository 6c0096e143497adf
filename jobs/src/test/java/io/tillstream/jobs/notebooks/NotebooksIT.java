package io.tillstream.jobs.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tillstream.jobs.testing.SamplesServer;
import io.tillstream.lake.Lake;
import io.tillstream.testing.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks in notebooks/, executed headless as CI and a data person run them: scripts/notebooks (Jupyter's
 * nbconvert, Debian's packages) over the samples lake, each query going through scripts/tillstream sql. Every cell
 * must run without error, each notebook must draw at least one chart, and every headline figure it prints
 * ({@code FIGURE name=value}) must equal the same figure computed here with Spark SQL over the same lake.
 */
class NotebooksIT {
  static final Path HOME = Paths.get("..").toAbsolutePath().normalize();
  static final Path SCRIPT = HOME.resolve("scripts/notebooks");
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern FIGURE = Pattern.compile("^FIGURE ([A-Za-z0-9_.\\-]+)=(.*)$", Pattern.MULTILINE);

  @TempDir
  static Path work;
  static Path lake;
  static Path out;
  static String log;

  @BeforeAll
  static void runTheNotebooks() throws Exception {
    SparkTestSession.get(); // the batch making the lake runs in this session, with the tests' settings
    long started = System.nanoTime();
    lake = SamplesServer.lake(); // the notebooks query it through the warm server, as sql.remote makes them
    long built = System.nanoTime();
    out = work.resolve("executed");
    Result r = run(work.resolve("notebooks.log"), Map.of("TILLSTREAM_SQL_REMOTE", SamplesServer.remote(),
        "TILLSTREAM_SQL_TOKEN", SamplesServer.TOKEN), "--lake", lake.toString(), "--out", out.toString());
    log = r.output;
    System.out.printf("NotebooksIT: samples server in %d s, scripts/notebooks in %d s:%n%s%n",
        (built - started) / 1_000_000_000L, (System.nanoTime() - built) / 1_000_000_000L, log);
    assertEquals(0, r.exit, log);
  }

  @Test
  void everyNotebookRanEveryCellWithoutErrorAndDrewCharts() throws IOException {
    List<String> sources;
    try (Stream<Path> files = Files.list(HOME.resolve("notebooks"))) {
      sources = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().toList();
    }
    assertTrue(sources.containsAll(List.of("data-quality-review.ipynb", "sales-exploration.ipynb")), sources::toString);
    for (String name : sources) {
      JsonNode nb = executed(name);
      int code = 0;
      int images = 0;
      for (JsonNode cell : nb.path("cells")) {
        if (!"code".equals(cell.path("cell_type").asText())) {
          continue;
        }
        code++;
        assertTrue(cell.path("execution_count").isInt(), name + ": a code cell did not run: " + cell.path("source"));
        for (JsonNode o : cell.path("outputs")) {
          assertFalse("error".equals(o.path("output_type").asText()), name + ": error output " + o);
          if (o.path("data").has("image/png")) {
            images++;
          }
        }
      }
      assertTrue(code >= 5, name + " has " + code + " code cells");
      assertTrue(images >= 1, name + " drew no chart");
    }
    assertTrue(log.contains("notebooks: sales-exploration.ipynb ran in "), log);
    assertTrue(log.contains("notebooks: data-quality-review.ipynb ran in "), log);
  }

  @Test
  void salesExplorationFiguresEqualSparkSql() throws IOException {
    Map<String, String> expected = new TreeMap<>();
    Row t = one("SELECT count(DISTINCT business_date), CAST(min(business_date) AS STRING),"
        + " CAST(max(business_date) AS STRING), count(DISTINCT store_id), sum(net_amount), sum(refund_amount),"
        + " sum(net_after_refunds), round(100 * sum(refund_amount) / sum(net_amount), 2) FROM gold.daily_sales");
    expected.put("business_days", t.get(0).toString());
    expected.put("first_day", t.getString(1));
    expected.put("last_day", t.getString(2));
    expected.put("stores", t.get(3).toString());
    expected.put("total_net_sales", plain(t.get(4)));
    expected.put("total_refunds", plain(t.get(5)));
    expected.put("net_after_refunds", plain(t.get(6)));
    expected.put("refund_share_pct", plain(t.get(7)));
    expected.put("best_day", one("SELECT CAST(business_date AS STRING) FROM gold.daily_sales GROUP BY business_date"
        + " ORDER BY sum(net_after_refunds) DESC, business_date LIMIT 1").getString(0));
    expected.put("best_store", one("SELECT store_id FROM gold.daily_sales GROUP BY store_id"
        + " ORDER BY sum(net_after_refunds) DESC, store_id LIMIT 1").getString(0));
    expected.put("top_category", one("SELECT category FROM gold.daily_sales GROUP BY category"
        + " ORDER BY sum(net_after_refunds) DESC, category LIMIT 1").getString(0));
    Row p = one("SELECT sku, sum(net_amount) AS net FROM gold.product_trends GROUP BY sku ORDER BY net DESC, sku"
        + " LIMIT 1");
    expected.put("top_product", p.getString(0));
    expected.put("top_product_net", plain(p.get(1)));
    Row m = one("SELECT count(DISTINCT month), sum(net_amount) FROM gold.monthly_sales");
    expected.put("months", m.get(0).toString());
    expected.put("monthly_net_sales", plain(m.get(1)));

    assertEquals(expected, figures("sales-exploration.ipynb"));
    // and the samples' known values (data-samples/README.md), so a figure cannot agree by being empty
    assertEquals("14", expected.get("business_days"));
    assertEquals("2025-03-01", expected.get("first_day"));
    assertEquals("10", expected.get("stores"));
  }

  @Test
  void dataQualityReviewFiguresEqualSparkSql() throws IOException {
    Map<String, String> expected = new TreeMap<>();
    Row q = one("SELECT count(*), count_if(resolved_by_run IS NULL), count(DISTINCT source_file),"
        + " count_if(business_date IS NULL) FROM silver.quarantine");
    expected.put("quarantined_records", q.get(0).toString());
    expected.put("unresolved_records", q.get(1).toString());
    expected.put("sources", q.get(2).toString());
    expected.put("unknown_business_date_records", q.get(3).toString());
    List<Row> rules = rows("SELECT rule_id, count(*) AS n FROM silver.quarantine"
        + " LATERAL VIEW explode(rule_ids) r AS rule_id GROUP BY rule_id ORDER BY n DESC, rule_id");
    expected.put("rules_fired", Integer.toString(rules.size()));
    expected.put("top_rule", rules.get(0).getString(0));
    rules.forEach(r -> expected.put("rule." + r.getString(0), r.get(1).toString()));
    rows("SELECT severity, count(*) FROM silver.quarantine WHERE severity IS NOT NULL GROUP BY severity").forEach(r -> expected.put("severity." + r.getString(0), r.get(1).toString()));

    Row runs = one("SELECT count(*), count_if(status = 'SUCCEEDED'),"
        + " count_if(read IS NOT NULL AND NOT coalesce(reconciled, false)),"
        + " coalesce(sum(read), 0), coalesce(sum(if(read IS NULL, NULL, accepted)), 0),"
        + " coalesce(sum(if(read IS NULL, NULL, quarantined)), 0), coalesce(sum(if(read IS NULL, NULL, duplicates)), 0),"
        + " coalesce(sum(if(read IS NULL, NULL, dropped)), 0), coalesce(sum(if(read IS NULL, NULL, out_of_range)), 0),"
        + " coalesce(round(100 * sum(if(read IS NULL, NULL, quarantined)) / sum(read), 2), 0)"
        + " FROM ops.runs");
    String[] names = {"runs", "runs_succeeded", "runs_not_reconciled", "read_total", "accepted_total",
        "quarantined_total", "duplicates_total", "dropped_total", "out_of_range_total", "quarantine_share_pct"};
    for (int i = 0; i < names.length; i++) {
      expected.put(names[i], plain(runs.get(i)));
    }
    rows("SELECT k, sum(v) FROM ops.runs LATERAL VIEW explode(rejected_by_rule) r AS k, v GROUP BY k").forEach(r -> expected.put("rejected." + r.getString(0), r.get(1).toString()));

    assertEquals(expected, figures("data-quality-review.ipynb"));
    // the samples' known outcome (data-samples/README.md)
    assertEquals("17", expected.get("quarantined_records"));
    assertEquals("310", expected.get("read_total"));
    assertEquals("13", expected.get("rules_fired"));
    assertEquals("5.48", expected.get("quarantine_share_pct"));
  }

  /** A cell that fails (here: a query of a table the lake does not have) fails the run, with the command's error. */
  @Test
  void aFailingCellMakesTheRunFailWithTheQueryError() throws Exception {
    Path dir = Files.createDirectories(work.resolve("failing"));
    ObjectNode nb = JSON.createObjectNode();
    ArrayNode cells = nb.putArray("cells");
    for (String source : List.of("from tillstream_sql import sql",
        "sql(\"SELECT count(*) AS n FROM gold.no_such_table\")", "print(\"FIGURE not_reached=1\")")) {
      ObjectNode cell = cells.addObject();
      cell.put("cell_type", "code").putNull("execution_count");
      cell.putObject("metadata");
      cell.putArray("outputs");
      cell.put("source", source);
    }
    nb.putObject("metadata").putObject("kernelspec").put("name", "python3").put("display_name", "Python 3")
        .put("language", "python");
    nb.put("nbformat", 4).put("nbformat_minor", 4);
    JSON.writeValue(dir.resolve("broken.ipynb").toFile(), nb);

    Result r = run(work.resolve("failing.log"), Map.of("TILLSTREAM_SQL_REMOTE", SamplesServer.remote(),
        "TILLSTREAM_SQL_TOKEN", SamplesServer.TOKEN), "--lake", lake.toString(), "--notebooks", dir.toString(),
        "--out", work.resolve("failing-out").toString());
    assertEquals(1, r.exit, r.output);
    assertTrue(r.output.contains("notebooks: broken.ipynb FAILED after "), r.output);
    assertTrue(r.output.contains("SqlError"), r.output);
    assertTrue(r.output.contains("[TABLE_OR_VIEW_NOT_FOUND]"), r.output);
    assertTrue(r.output.contains("notebooks: 1 of 1 failed: broken.ipynb"), r.output);
    assertFalse(r.output.contains("not_reached"), r.output);
  }

  @Test
  void wrongArgumentsAreAUsageError() throws Exception {
    Result r = run(work.resolve("usage.log"), Map.of(), "--timeout", "soon");
    assertEquals(2, r.exit, r.output);
    assertTrue(r.output.contains("--timeout must be a number of seconds"), r.output);
  }

  record Result(int exit, String output) {}

  static Result run(Path logFile, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(logFile.toFile());
    pb.environment().remove("TILLSTREAM_LAKE_ROOT");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(20, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("scripts/notebooks did not finish in 20 minutes:\n" + Files.readString(logFile));
    }
    return new Result(p.exitValue(), Files.readString(logFile, StandardCharsets.UTF_8));
  }

  static JsonNode executed(String name) throws IOException {
    Path file = out.resolve(name);
    assertTrue(Files.isRegularFile(file), "no executed notebook " + file + "\n" + log);
    return JSON.readTree(file.toFile());
  }

  /** The FIGURE lines a notebook printed on standard output, by name (a name printed twice fails). */
  static Map<String, String> figures(String name) throws IOException {
    Map<String, String> figures = new TreeMap<>();
    for (JsonNode cell : executed(name).path("cells")) {
      for (JsonNode o : cell.path("outputs")) {
        if ("stream".equals(o.path("output_type").asText()) && "stdout".equals(o.path("name").asText())) {
          StringBuilder text = new StringBuilder();
          o.path("text").forEach(line -> text.append(line.asText()));
          if (o.path("text").isTextual()) {
            text.append(o.path("text").asText());
          }
          Matcher m = FIGURE.matcher(text);
          while (m.find()) {
            assertEquals(null, figures.put(m.group(1), m.group(2)), name + " printed " + m.group(1) + " twice");
          }
        }
      }
    }
    return figures;
  }

  /** Spark SQL over the same lake, in this JVM's session. */
  static List<Row> rows(String query) {
    SparkSession spark = SparkTestSession.get();
    new Lake(spark, lake.toString()).registerTables();
    return spark.sql(query).collectAsList();
  }

  static Row one(String query) {
    List<Row> rows = rows(query);
    assertEquals(1, rows.size(), query);
    return rows.get(0);
  }

  static String plain(Object value) {
    return value instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(value);
  }
}
