package io.tillstream.pipeline;

import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class DeduplicateEventsTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String ITEM = "[{\"sku\":\"SKU-1\",\"quantity\":2,\"unit_price\":10.00}]";
  private static final String A = sale("e1", "FR-PARIS-01", "2025-03-07T10:00:00+01:00", "EUR", ITEM);
  private static final String A_REFORMATTED = A.replace(",", ", ");
  private static final String A_CHANGED = A.replace("\"quantity\":2", "\"quantity\":5");
  private static final String B = sale("e2", "FR-PARIS-01", "2025-03-07T11:00:00+01:00", "EUR", ITEM);

  private Map<String, String> dispositions(Dataset<Row> raw, Dataset<Row> history) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : SalesPipeline.classify(raw, TestData.context(spark), history)
        .selectExpr("concat(source_file, ':', source_line)", "concat(disposition, ' ',"
            + " array_join(transform(violations, v -> v.rule), ','))").collectAsList()) {
      m.put(r.getString(0), r.getString(1).trim());
    }
    return m;
  }

  @Test
  void withinOneInputTheFirstCopyWinsIdenticalCopiesAreDuplicatesOthersConflict() {
    Dataset<Row> raw = TestData.raw(spark, "a", A_CHANGED.replace("e1", "e0"), A, B, A_REFORMATTED, A_CHANGED);
    assertEquals(Map.of("a:1", "accept", "a:2", "accept", "a:3", "accept", "a:4", "duplicate",
        "a:5", "quarantine duplicate_conflict"), dispositions(raw, TestData.noHistory(spark)));
  }

  @Test
  void eventsAcceptedInEarlierRunsAreDuplicatesOrConflicts() {
    Dataset<Row> first = SalesPipeline.classify(TestData.raw(spark, "old", A), TestData.context(spark),
        TestData.noHistory(spark));
    Dataset<Row> history = first.filter("disposition = 'accept'").select("event_id", "content_hash");
    Dataset<Row> raw = TestData.raw(spark, "new", A_REFORMATTED, A_CHANGED, B);
    assertEquals(Map.of("new:1", "duplicate", "new:2", "quarantine duplicate_conflict", "new:3", "accept"),
        dispositions(raw, history));
    List<Row> reason = SalesPipeline.quarantine(SalesPipeline.classify(raw, TestData.context(spark), history))
        .select("reason").collectAsList();
    assertEquals("duplicate_conflict: event_id e1 was accepted earlier with different content",
        reason.get(0).getString(0));
  }

  @Test
  void anEventIdTwiceInHistoryStillGivesOneDecisionPerRecord() {
    Dataset<Row> history = SalesPipeline.classify(TestData.raw(spark, "old", A, A_CHANGED.replace("e1", "e9")),
        TestData.context(spark), TestData.noHistory(spark)).filter("disposition = 'accept'")
        .selectExpr("'e1' AS event_id", "content_hash");
    Dataset<Row> raw = TestData.raw(spark, "new", A_REFORMATTED, B);
    Dataset<Row> classified = SalesPipeline.classify(raw, TestData.context(spark), history);
    assertEquals(2L, classified.count());
    assertEquals(Map.of("new:1", "duplicate", "new:2", "accept"), dispositions(raw, history));
  }

  @Test
  void invalidCopiesAreJudgedByTheirOwnRulesNotAsDuplicates() {
    Dataset<Row> raw = TestData.raw(spark, "a", A, A.replace("\"quantity\":2", "\"quantity\":-2"));
    assertEquals(Map.of("a:1", "accept", "a:2", "quarantine non_positive_quantity"),
        dispositions(raw, TestData.noHistory(spark)));
  }
}
