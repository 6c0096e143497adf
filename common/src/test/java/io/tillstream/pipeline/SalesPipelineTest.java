package io.tillstream.pipeline;

import static io.tillstream.testing.TestData.event;
import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.quality.Severity;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The composite over tiny inline records: every rule, the disposition, and the silver lines it yields. */
class SalesPipelineTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String ITEM = "[{\"sku\":\"SKU-1\",\"quantity\":2,\"unit_price\":10.00,\"discount\":1.00}]";

  private Map<String, String> outcome(Dataset<Row> classified) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : classified.selectExpr("concat(source_line, '')", "concat(disposition, ':',"
        + " array_join(transform(violations, v -> v.rule), ','), ':', array_join(quality_warnings, ','))")
        .collectAsList()) {
      m.put(r.getString(0), r.getString(1));
    }
    return m;
  }

  @Test
  void everyEventRuleDecidesTheDisposition() {
    Dataset<Row> raw = TestData.raw(spark, "f",
        sale("e1", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR", ITEM),
        "{\"broken",
        sale("e3", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR", "[]"),
        event("e4", "exchange", "o4", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR", "C1", ITEM),
        sale("e5", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR", ITEM.replace("\"quantity\":2", "\"quantity\":0")),
        sale("e6", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR", ITEM.replace("1.00}", "25.00}")),
        sale("e7", "ZZ-NOWHERE", "2025-03-07T10:00:00+01:00", "EUR", ITEM),
        sale("e8", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EURO", ITEM),
        sale("e9", "US-NYC-01", "2025-03-05T10:00:00-05:00", "USD", ITEM),
        sale("e10", "FR-PARIS-01", "2099-03-07T10:00:00+01:00", "EUR", ITEM),
        sale("e11", "US-NYC-01", "2025-03-08T21:00:00-05:00", "USD", ITEM),
        sale("e12", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR",
            ITEM.replace("SKU-1", "SKU-404")));
    Map<String, String> got = outcome(SalesPipeline.classify(raw, TestData.context(spark), TestData.noHistory(spark)));
    assertEquals(Map.ofEntries(
        Map.entry("1", "accept::"),
        Map.entry("2", "quarantine:malformed_record:"),
        Map.entry("3", "quarantine:empty_items:"),
        Map.entry("4", "quarantine:invalid_event_type:"),
        Map.entry("5", "quarantine:non_positive_quantity:"),
        Map.entry("6", "quarantine:negative_amount:"),
        Map.entry("7", "quarantine:unknown_store:"),
        Map.entry("8", "quarantine:unknown_currency:"),
        Map.entry("9", "quarantine:missing_fx_rate:"),
        Map.entry("10", "quarantine:event_time_in_future:"),
        Map.entry("11", "accept::"),
        Map.entry("12", "accept::")), got);
  }

  @Test
  void severityOverridesWarnDropAndFail() {
    Map<String, Severity> sev = TestData.defaultSeverities();
    sev.put("event_time_in_future", Severity.WARN);
    sev.put("malformed_record", Severity.DROP);
    sev.put("unknown_store", Severity.FAIL);
    Dataset<Row> raw = TestData.raw(spark, "f",
        sale("e10", "FR-PARIS-01", "2099-03-07T10:00:00+01:00", "EUR", ITEM),
        "{\"broken",
        sale("e7", "ZZ-NOWHERE", "2025-03-07T10:00:00+01:00", "EUR", ITEM));
    Map<String, String> got = outcome(SalesPipeline.classify(raw, TestData.context(spark, sev),
        TestData.noHistory(spark)));
    assertEquals(Map.of("1", "accept:event_time_in_future:event_time_in_future", "2", "drop:malformed_record:",
        "3", "fail:unknown_store:"), got);
  }

  @Test
  void salesLinesCarryCategoryBusinessDateAndExactReportingAmounts() {
    Dataset<Row> raw = TestData.raw(spark, "f",
        // 21:00 in New York on Saturday 8 March is 02:00 UTC on the 9th; the Friday rate 0.9 applies.
        sale("e11", "US-NYC-01", "2025-03-08T21:00:00-05:00", "USD",
            "[{\"sku\":\"SKU-2\",\"quantity\":3,\"unit_price\":3.333333,\"discount\":0.5},"
                + "{\"sku\":\"SKU-404\",\"quantity\":1,\"unit_price\":4}]"));
    Dataset<Row> classified = SalesPipeline.classify(raw, TestData.context(spark), TestData.noHistory(spark));
    List<Row> lines = SalesPipeline.salesLines(classified, TestData.context(spark))
        .selectExpr("line_no", "sku", "category", "cast(business_date as string)", "cast(event_time as string)",
            "fx_rate", "gross_amount", "discount_amount", "net_amount", "array_join(quality_warnings, ',')")
        .orderBy("line_no").collectAsList();
    assertEquals(2, lines.size());
    Row l1 = lines.get(0);
    assertEquals("apparel", l1.getString(2));
    assertEquals("2025-03-08", l1.getString(3));
    assertEquals("2025-03-09 02:00:00", l1.getString(4));
    assertEquals(new BigDecimal("0.9000000000"), l1.getDecimal(5));
    assertEquals(new BigDecimal("8.9999991000000000"), l1.getDecimal(6)); // 3 x 3.333333 x 0.9
    assertEquals(new BigDecimal("0.4500000000000000"), l1.getDecimal(7));
    assertEquals(new BigDecimal("8.5499991000000000"), l1.getDecimal(8));
    assertEquals("", l1.getString(9));
    Row l2 = lines.get(1);
    assertEquals("unknown", l2.getString(2));
    assertEquals(new BigDecimal("3.6000000000000000"), l2.getDecimal(8));
    assertEquals("unknown_sku", l2.getString(9));
  }

  @Test
  void dateRangeMarksEventsOutsideAsOutOfRange() {
    PipelineContext all = TestData.context(spark);
    PipelineContext ctx = new PipelineContext(all.stores(), all.products(), all.fxDaily(), "EUR", 7,
        all.severities(), all.futureLimit(), all.piiKey(), java.time.LocalDate.parse("2025-03-07"),
        java.time.LocalDate.parse("2025-03-07"));
    Dataset<Row> raw = TestData.raw(spark, "f",
        sale("e1", "FR-PARIS-01", "2025-03-07T23:30:00+01:00", "EUR", ITEM),
        sale("e2", "FR-PARIS-01", "2025-03-08T00:30:00+01:00", "EUR", ITEM));
    assertEquals(Map.of("1", "accept::", "2", "out_of_range::"),
        outcome(SalesPipeline.classify(raw, ctx, TestData.noHistory(spark))));
  }
}
