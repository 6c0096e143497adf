package io.tillstream.pipeline;

import static io.tillstream.testing.TestData.event;
import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The composite over tiny inline records: every rule, the disposition, and the silver lines it yields. */
class SalesPipelineTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String ITEM = "[{\"sku\":\"SKU-1\",\"quantity\":2,\"unit_price\":10.00,\"discount\":1.00}]";


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
    Map<String, String> got = TestData.outcomes(SalesPipeline.classify(raw, TestData.context(spark), TestData.noHistory(spark)));
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



}
