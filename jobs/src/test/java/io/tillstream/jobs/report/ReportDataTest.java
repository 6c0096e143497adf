package io.tillstream.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tillstream.jobs.report.ReportData.Headline;
import io.tillstream.jobs.report.ReportData.Section;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TableRows;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's figures from tiny inline tables, an empty lake, and what the page does with hostile text. */
class ReportDataTest {
  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> daily() {
    return TableRows.complete(Table.GOLD_DAILY_SALES, spark.sql("SELECT DATE(d) AS business_date, store_id, category,"
        + " CAST(net AS DECIMAL(18,2)) AS net_amount, CAST(refund AS DECIMAL(18,2)) AS refund_amount,"
        + " CAST(net - refund AS DECIMAL(18,2)) AS net_after_refunds, units AS units_sold FROM VALUES"
        + " ('2025-03-01', 'S1', 'books', 10.10, 0.00, 1L), ('2025-03-01', 'S2', 'books', 20.01, 10.00, 2L),"
        + " ('2025-03-01', 'S1', 'toys', 0.03, 0.01, 1L), ('2025-03-02', 'S1', 'toys', 30.00, 10.00, 3L),"
        + " ('2025-03-03', 'S2', 'books', 0.00, 5.00, 0L) AS t(d, store_id, category, net, refund, units)"));
  }

  @Test
  void salesFiguresAreExactSumsByCategoryDayAndOverall() {
    Dataset<Row> daily = daily();
    assertEquals(List.of(List.of("books", bd("30.11"), bd("15.00"), bd("15.11"), 3L),
            List.of("toys", bd("30.03"), bd("10.01"), bd("20.02"), 4L)),
        ReportData.section(ReportData.categoryMix(daily)).rows());
    // 10.01 / 30.14 = 33.2116...% -> 33.21; a day with refunds and no sales has no share.
    assertEquals(List.of(List.of("2025-03-01", bd("30.14"), bd("10.01"), bd("33.21")),
            List.of("2025-03-02", bd("30.00"), bd("10.00"), bd("33.33")),
            Arrays.asList("2025-03-03", bd("0.00"), bd("5.00"), null)),
        ReportData.section(ReportData.refundsByDay(daily)).rows());
    assertEquals(List.of(Arrays.asList(bd("60.14"), bd("25.01"), bd("35.13"), bd("41.59"))),
        ReportData.section(ReportData.salesTotals(daily)).rows());
    assertEquals(List.of(List.of("2025-03-01", "S1", bd("10.13"), bd("10.12")),
            List.of("2025-03-01", "S2", bd("20.01"), bd("10.01")), List.of("2025-03-02", "S1", bd("30.00"),
                bd("20.00")), List.of("2025-03-03", "S2", bd("0.00"), bd("-5.00"))),
        ReportData.section(ReportData.salesByDayAndStore(daily)).rows());

    Dataset<Row> narrowed = io.tillstream.lake.DateRanges.filterBetween(daily, "business_date", LocalDate.parse("2025-03-02"), null);
    assertEquals(List.of(Arrays.asList(bd("30.00"), bd("15.00"), bd("15.00"), bd("50.00"))),
        ReportData.section(ReportData.salesTotals(narrowed)).rows());
    // No rows at all: zeros and no share.
    assertEquals(List.of(Arrays.asList(bd("0.00"), bd("0.00"), bd("0.00"), null)),
        ReportData.section(ReportData.salesTotals(daily.limit(0))).rows());
  }

  @Test
  void quarantineCountsEveryRuleOfARecordAndUndatedRecordsOnlyWithoutARange() {
    Dataset<Row> q = TableRows.complete(Table.SILVER_QUARANTINE, spark.sql("SELECT record_id, DATE(d) AS"
        + " business_date, rule_ids FROM VALUES ('r1', '2025-03-01', array('unknown_store')),"
        + " ('r2', '2025-03-01', array('negative_amount', 'missing_fx_rate')), ('r3', NULL, array('malformed_record')),"
        + " ('r4', '2025-03-04', array('negative_amount')) AS t(record_id, d, rule_ids)"));
    assertEquals(List.of(List.of("negative_amount", 2L), List.of("malformed_record", 1L),
            List.of("missing_fx_rate", 1L), List.of("unknown_store", 1L)),
        ReportData.section(ReportData.quarantineByRule(q)).rows());
    assertEquals(List.of(List.of("2025-03-01", "missing_fx_rate", 1L), List.of("2025-03-01", "negative_amount", 1L),
            List.of("2025-03-01", "unknown_store", 1L), List.of("2025-03-04", "negative_amount", 1L),
            Arrays.asList(null, "malformed_record", 1L)),
        ReportData.section(ReportData.quarantineByDayAndRule(q)).rows());
    assertEquals(4, ReportData.quarantineInRange(q, null, null).count());
    assertEquals(3, ReportData.quarantineInRange(q, LocalDate.parse("2025-03-01"), null).count());
    assertEquals(2, ReportData.quarantineInRange(q, null, LocalDate.parse("2025-03-03")).count());
  }

  @Test
  void topProductsSuspiciousRowsAndOrders() {
    Dataset<Row> trends = TableRows.complete(Table.GOLD_PRODUCT_TRENDS, spark.sql("SELECT DATE(d) AS business_date,"
        + " sku, category, units AS units_sold, CAST(net AS DECIMAL(18,2)) AS net_amount,"
        + " CAST(score AS DECIMAL(18,4)) AS trend_score, rank AS rank_in_category FROM VALUES"
        + " ('2025-03-01', 'A', 'toys', 1L, 5.00, 0.5, 2), ('2025-03-02', 'A', 'toys', 2L, 10.00, 1.25, 1),"
        + " ('2025-03-01', 'B', 'toys', 1L, 15.00, 2.0, 1), ('2025-03-01', 'C', 'books', 1L, 15.00, NULL, 1)"
        + " AS t(d, sku, category, units, net, score, rank)"));
    // Ties on net sales by sku; trend score and rank of the latest date.
    assertEquals(List.of(List.of("A", "toys", 3L, bd("15.00"), bd("1.2500"), 1),
            List.of("B", "toys", 1L, bd("15.00"), bd("2.0000"), 1)),
        ReportData.section(ReportData.topProducts(trends, 2)).rows());
    assertEquals(List.of("2025-03-01 A", "2025-03-01 C", "2025-03-02 A"),
        ReportData.section(ReportData.productTrend(trends, List.of("A", "C"))).rows().stream()
            .map(r -> r.get(0) + " " + r.get(1)).toList());

    Dataset<Row> suspicious = TableRows.complete(Table.GOLD_SUSPICIOUS_TRANSACTIONS, spark.sql("SELECT rule_id,"
        + " event_id, DATE(d) AS business_date, TIMESTAMP(t) AS event_time, card_token FROM VALUES"
        + " ('large_order', 'e2', '2025-03-02', '2025-03-02 10:00:00', '0123456789abcdef'),"
        + " ('card_velocity', 'e1', '2025-03-01', '2025-03-01 09:30:00', 'fedcba9876543210'),"
        + " ('card_velocity', 'e3', '2025-03-01', '2025-03-01 09:40:00', NULL)"
        + " AS t(rule_id, event_id, d, t, card_token)"));
    assertEquals(List.of(List.of("card_velocity", 2L), List.of("large_order", 1L)),
        ReportData.section(ReportData.suspiciousByRule(suspicious)).rows());
    Section rows = ReportData.section(ReportData.suspiciousRows(suspicious, 2));
    assertEquals(List.of("business_date", "event_time", "rule_id", "store_id", "order_id", "card_token_prefix",
        "details"), rows.columns());
    assertEquals(Arrays.asList("fedcba98", null), rows.column("card_token_prefix"));
    assertEquals(List.of("2025-03-01 09:30:00", "2025-03-01 09:40:00"), rows.column("event_time"));

    Dataset<Row> lines = TableRows.complete(Table.SILVER_SALES_LINES, spark.sql("SELECT event_type, order_id FROM"
        + " VALUES ('sale', 'o1'), ('sale', 'o1'), ('sale', 'o2'), ('refund', 'o3') AS t(event_type, order_id)"));
    assertEquals(2, ReportData.orders(lines));
  }

  @Test
  void anEmptyLakeGivesEmptySectionsAndAPage(@TempDir Path dir) {
    ReportData data = ReportData.compute(new Lake(spark, dir.toString()), null, null);
    assertEquals(new Headline(bd("0.00"), bd("0.00"), bd("0.00"), null, 0, 0, 0, 0), data.headline());
    assertEquals(List.of("gold.daily_sales", "gold.product_trends", "gold.suspicious_transactions",
        "silver.quarantine", "silver.sales_lines", "ops.runs"), data.missingTables());
    data.sections().forEach((name, s) -> assertEquals(List.of(), s.rows(), name));
    String page = ReportPage.render(data, new ReportPage.Meta(dir.toString(), Instant.EPOCH), "/* echarts */");
    for (String table : List.of("category-mix", "top-products", "suspicious-by-rule", "suspicious",
        "quarantine-by-rule", "runs")) {
      assertTrue(page.contains("id=\"table-" + table + "\" data-table=\"" + table + "\" data-rows=\"0\""), table);
    }
    assertTrue(page.contains("id=\"figure-refund-share-pct\" data-figure=\"refund_share_pct\" data-value=\"\""));
    assertTrue(page.contains("Not in this lake (their sections are empty): gold.daily_sales,"), page);
  }

  @Test
  void textFromTheDataIsEscapedAndNothingClosesTheScriptsEarly() throws Exception {
    String hostile = "</script><img src=x onerror=alert(1)>&amp;\u2028";
    Section s = new Section(List.of("rule_id", "details"), List.of(List.of(hostile, hostile)));
    Map<String, Section> sections = new java.util.LinkedHashMap<>();
    for (String name : List.of(ReportData.SALES_BY_DAY_STORE, ReportData.CATEGORY_MIX, ReportData.REFUNDS_BY_DAY,
        ReportData.TOP_PRODUCTS_SECTION, ReportData.PRODUCT_TREND, ReportData.SUSPICIOUS_BY_RULE,
        ReportData.SUSPICIOUS, ReportData.QUARANTINE_BY_RULE, ReportData.QUARANTINE_BY_DAY_RULE, ReportData.RUNS)) {
      sections.put(name, s);
    }
    ReportData data = new ReportData(null, null, List.of(hostile), new Headline(bd("1.50"), bd("0.10"),
        bd("1.40"), bd("6.67"), 1, 2, 3, 4), sections);
    String page = ReportPage.render(data, new ReportPage.Meta("/lake/<b>", Instant.EPOCH),
        "var s = '</script>'; var t = '</SCRIPT >';");
    assertFalse(page.contains("<img"), "unescaped markup from the data");
    assertFalse(page.contains("<b>"), "unescaped lake path");
    assertTrue(page.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"));
    // Exactly the three script elements' own end tags.
    assertEquals(3, Pattern.compile("</script", Pattern.CASE_INSENSITIVE).matcher(page).results().count());
    assertTrue(page.contains("var s = '<\\/script>'; var t = '<\\/SCRIPT >';"));
    assertFalse(page.matches("(?s).*(src|href)=\"?(https?:)?//.*"), "a network reference");

    Matcher json = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
        Pattern.DOTALL).matcher(page);
    assertTrue(json.find());
    JsonNode parsed = new ObjectMapper().readTree(json.group(1));
    assertEquals(hostile, parsed.at("/sections/suspicious/rows/0/1").asText());
    assertEquals("1.50", parsed.at("/headline/net_sales").asText());
    assertEquals(4, parsed.at("/headline/runs").asLong());
  }

  private static BigDecimal bd(String v) {
    return new BigDecimal(v);
  }
}
