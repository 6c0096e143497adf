package io.tillstream.pipeline;

import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class BuildQuarantineTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void everyFailedRuleWithAReadableReasonTheSourceAndAMaskedRecord() {
    String bad = sale("q1", "ZZ-NOWHERE", "2099-01-01T00:00:00Z", "EUR",
        "[{\"sku\":\"SKU-1\",\"quantity\":0,\"unit_price\":1}]");
    List<Row> rows = BuildQuarantine.apply(SalesPipeline.classify(TestData.raw(spark, "in.jsonl",
            sale("ok", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR",
                "[{\"sku\":\"SKU-1\",\"quantity\":1,\"unit_price\":1}]"), bad),
        TestData.context(spark), TestData.noHistory(spark))).collectAsList();
    assertEquals(1, rows.size());
    Row q = rows.get(0);
    assertEquals("in.jsonl", q.getAs("source_file"));
    assertEquals(2L, (long) q.getAs("source_line"));
    assertEquals("q1", q.getAs("event_id"));
    assertEquals("quarantine", q.getAs("severity"));
    assertEquals(List.of("non_positive_quantity", "unknown_store", "event_time_in_future"),
        q.getList(q.fieldIndex("rule_ids")));
    assertEquals("non_positive_quantity: quantity <= 0 for SKU-1 (0); unknown_store: store_id 'ZZ-NOWHERE' is not"
        + " in stores.csv; event_time_in_future: event_time 2099-01-01T00:00:00Z is after 2025-04-02T00:00:00Z",
        q.getAs("reason"));
    assertFalse(((String) q.getAs("raw_record")).contains("@example.com"));
    assertFalse(((String) q.getAs("raw_record")).contains("4111111111111111"));
  }
}
