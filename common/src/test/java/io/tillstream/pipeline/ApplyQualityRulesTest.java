package io.tillstream.pipeline;

import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.quality.Severity;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Severities decide the disposition: warn keeps the record with a warning, drop and fail reject it. */
class ApplyQualityRulesTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String ITEM = "[{\"sku\":\"SKU-1\",\"quantity\":2,\"unit_price\":10.00,\"discount\":1.00}]";

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
    Map<String, String> got = TestData.outcomes(SalesPipeline.classify(raw, TestData.context(spark, sev),
        TestData.noHistory(spark)));
    assertEquals(Map.of("1", "accept:event_time_in_future:event_time_in_future", "2", "drop:malformed_record:",
        "3", "fail:unknown_store:"), got);
  }}
