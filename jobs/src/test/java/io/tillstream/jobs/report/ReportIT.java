package io.tillstream.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.testing.Commands;
import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.lake.Lake;
import io.tillstream.testing.SparkTestSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The report of the samples lake, opened in a real headless Chromium: no console errors, no network, every chart
 * drawn, and its figures equal to the same figures computed here with Spark SQL over the lake's tables; narrowed by
 * --from/--to; with a table missing. Leaves a screenshot in target/report-samples.png (docs/report-samples.png).
 */
class ReportIT {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  static final List<String> CHARTS = List.of("net-sales", "category-mix", "refunds", "top-products", "product-trend",
      "suspicious", "quarantine", "runs");
  static final Path SCREENSHOT = Paths.get("target", "report-samples.png");

  @TempDir
  static Path dir;
  static Path lake;
  static ChromeDriver browser;

  @BeforeAll
  static void samplesLakeAndBrowser() {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "ReportIT needs Debian's chromium"
        + " and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + "), which .ci/run installs; here: apt-get"
        + " install -y --no-install-recommends chromium chromium-driver");
    lake = dir.resolve("lake");
    SamplesLake.copyTo(lake);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void samplesReportShowsTheLakesFiguresAndDrawsEveryChart() throws IOException {
    Path page = report(lake, "samples.html");
    open(page);
    assertFigures("", lake);
    assertEquals("", browser.findElement(By.id("range")).getDomAttribute("data-from"));
    assertTrue(browser.findElements(By.id("missing-tables")).isEmpty());
    // A full-page screenshot: the window as tall as the page, the charts drawn again at that size.
    long height = (Long) js("return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight;");
    browser.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 20, 8000)));
    open(page);
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    browser.manage().window().setSize(new Dimension(1400, 1000));
  }

  @Test
  void fromAndToNarrowEveryFigureButTheRunHistory() throws IOException {
    Path page = report(lake, "narrowed.html", "--from", "2025-03-03", "--to", "2025-03-05");
    open(page);
    String range = "WHERE business_date BETWEEN DATE'2025-03-03' AND DATE'2025-03-05'";
    assertFigures(range, lake);
    assertEquals("2025-03-05", browser.findElement(By.id("range")).getDomAttribute("data-to"));
    BigDecimal all = sqlDecimal(lake, "SELECT sum(net_amount) FROM gold.daily_sales");
    assertTrue(new BigDecimal(figure("net_sales")).compareTo(all) < 0, "--from/--to did not narrow net sales");
    assertEquals(sqlLong(lake, "SELECT count(*) FROM silver.quarantine " + range), Long.parseLong(figure(
        "quarantined")));
  }

  @Test
  void aMissingTableLeavesItsSectionEmpty() throws IOException {
    Path partial = dir.resolve("partial");
    SamplesLake.copyTo(partial);
    delete(partial.resolve("gold/suspicious_transactions"));
    open(report(partial, "partial.html"));
    assertEquals("true", browser.findElement(By.id("chart-suspicious")).getDomAttribute("data-empty"));
    assertEquals("0", browser.findElement(By.id("table-suspicious")).getDomAttribute("data-rows"));
    assertEquals("0", browser.findElement(By.id("table-suspicious-by-rule")).getDomAttribute("data-rows"));
    assertEquals("0", figure("suspicious"));
    assertTrue(browser.findElement(By.id("missing-tables")).getText().contains("gold.suspicious_transactions"));
    assertEquals(sqlDecimal(partial, "SELECT sum(net_amount) FROM gold.daily_sales").toPlainString(),
        figure("net_sales"));
    assertEquals("false", browser.findElement(By.id("chart-net-sales")).getDomAttribute("data-empty"));
  }

  @Test
  void usageErrors() {
    Commands.Result reversed = Commands.run(SamplesLake.ENV, "report", "--lake", lake.toString(), "--from",
        "2025-03-05", "--to", "2025-03-01", "--out", dir.resolve("never.html").toString());
    assertEquals(2, reversed.code());
    assertTrue(reversed.err().contains("--from 2025-03-05 is after --to 2025-03-01"), reversed.err());
    Commands.Result noOut = Commands.run(SamplesLake.ENV, "report", "--lake", lake.toString());
    assertEquals(2, noOut.code());
    assertTrue(noOut.err().contains("--out"), noOut.err());
    Commands.Result empty = Commands.run(SamplesLake.ENV, "report", "--lake", dir.resolve("nothing").toString(),
        "--out", dir.resolve("never.html").toString());
    assertEquals(2, empty.code());
    assertTrue(empty.err().contains("no Tillstream tables under"), empty.err());
    assertFalse(Files.exists(dir.resolve("never.html")));
  }

  /** Every figure on the open page against Spark SQL over {@code lakeDir}, the rows limited by {@code where}. */
  private static void assertFigures(String where, Path lakeDir) {
    String and = where.isEmpty() ? "WHERE" : where + " AND";
    BigDecimal net = sqlDecimal(lakeDir, "SELECT sum(net_amount) FROM gold.daily_sales " + where);
    BigDecimal refunds = sqlDecimal(lakeDir, "SELECT sum(refund_amount) FROM gold.daily_sales " + where);
    assertEquals(net.toPlainString(), figure("net_sales"));
    assertEquals(net.toPlainString(), browser.findElement(By.cssSelector("#figure-net-sales .value")).getText()
        .replace(",", ""));
    assertEquals(refunds.toPlainString(), figure("refunds"));
    assertEquals(sqlDecimal(lakeDir, "SELECT sum(net_after_refunds) FROM gold.daily_sales " + where).toPlainString(),
        figure("net_after_refunds"));
    assertEquals(refunds.multiply(BigDecimal.valueOf(100)).divide(net, 2, RoundingMode.HALF_UP).toPlainString(),
        figure("refund_share_pct"));
    assertEquals(sqlLong(lakeDir, "SELECT count(DISTINCT order_id) FROM silver.sales_lines " + and
        + " event_type = 'sale'"), Long.parseLong(figure("orders")));
    assertEquals(sqlLong(lakeDir, "SELECT count(*) FROM gold.suspicious_transactions " + where),
        Long.parseLong(figure("suspicious")));
    assertEquals(sqlLong(lakeDir, "SELECT count(*) FROM ops.runs"), Long.parseLong(figure("runs")));

    assertEquals(sqlMap(lakeDir, "SELECT category, sum(net_amount) FROM gold.daily_sales " + where
        + " GROUP BY category"), tableColumn("category-mix", "category", "net_amount"));
    assertEquals(sqlMap(lakeDir, "SELECT rule_id, count(*) FROM gold.suspicious_transactions " + where
        + " GROUP BY rule_id"), tableColumn("suspicious-by-rule", "rule_id", "transactions"));
    assertEquals(sqlMap(lakeDir, "SELECT rule_id, count(*) FROM (SELECT explode(rule_ids) AS rule_id FROM"
        + " silver.quarantine " + where + ") GROUP BY rule_id"), tableColumn("quarantine-by-rule", "rule_id",
        "records"));
    assertEquals(sqlLong(lakeDir, "SELECT count(*) FROM ops.runs"),
        Long.parseLong(browser.findElement(By.id("table-runs")).getDomAttribute("data-rows")));
    assertEquals(sqlLong(lakeDir, "SELECT count(*) FROM gold.suspicious_transactions " + where),
        Long.parseLong(browser.findElement(By.id("table-suspicious")).getDomAttribute("data-rows")));
  }

  /** Runs the report command in this JVM over {@code lakeDir}; returns the page it wrote. */
  private static Path report(Path lakeDir, String name, String... range) {
    Path out = dir.resolve(name);
    List<String> args = new java.util.ArrayList<>(List.of("report", "--lake", lakeDir.toString(), "--out",
        out.toString()));
    args.addAll(List.of(range));
    Commands.Result r = Commands.run(SamplesLake.ENV, args.toArray(String[]::new));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("report " + out.toAbsolutePath() + ": net sales "), r.out());
    return out;
  }

  /** Opens {@code page}, waits until every chart says it is drawn, then checks the console and the network. */
  private static void open(Path page) {
    browser.get(page.toUri().toString());
    try {
      new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> CHARTS.stream().allMatch(c ->
          "true".equals(d.findElement(By.id("chart-" + c)).getDomAttribute("data-drawn"))));
    } finally {
      List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
      assertEquals(List.of(), severe.stream().map(LogEntry::toString).toList(), "console errors");
    }
    for (String c : CHARTS) {
      assertFalse(browser.findElement(By.id("chart-" + c)).findElements(By.cssSelector("svg, canvas")).isEmpty(),
          c + " has no drawing");
    }
    assertEquals(CHARTS.size(), browser.findElements(By.cssSelector("[data-chart]")).size());
    assertEquals(List.of(), js("return performance.getEntriesByType('resource').map(e => e.name);"),
        "the page fetched something");
  }

  private static String figure(String name) {
    return browser.findElement(By.cssSelector("[data-figure='" + name + "']")).getDomAttribute("data-value");
  }

  /** {@code key} column to {@code value} column of a table on the page, both as their exact data-value. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> tableColumn(String table, String key, String value) {
    List<Map<String, Object>> rows = (List<Map<String, Object>>) js("return Array.from(document.querySelectorAll("
        + "'#table-" + table + " tbody tr:not(.empty)')).map(r => { const o = {}; r.querySelectorAll('td')"
        + ".forEach(td => o[td.dataset.col] = td.dataset.value); return o; });");
    return rows.stream().collect(Collectors.toMap(r -> (String) r.get(key), r -> (String) r.get(value),
        (a, b) -> a, TreeMap::new));
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private static List<Row> sql(Path lakeDir, String query) {
    SparkSession spark = SparkTestSession.get();
    new Lake(spark, lakeDir.toString()).registerTables();
    return spark.sql(query).collectAsList();
  }

  private static BigDecimal sqlDecimal(Path lakeDir, String query) {
    return sql(lakeDir, query).get(0).getDecimal(0);
  }

  private static long sqlLong(Path lakeDir, String query) {
    return sql(lakeDir, query).get(0).getLong(0);
  }

  private static Map<String, String> sqlMap(Path lakeDir, String query) {
    return sql(lakeDir, query).stream().collect(Collectors.toMap(r -> r.getString(0),
        r -> r.get(1) instanceof BigDecimal b ? b.toPlainString() : r.get(1).toString(), (a, b) -> a, TreeMap::new));
  }

  private static void delete(Path p) throws IOException {
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
