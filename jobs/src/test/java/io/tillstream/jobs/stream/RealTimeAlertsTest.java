package io.tillstream.jobs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.gold.SuspiciousRules;
import io.tillstream.gold.SuspiciousTransactions;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.pipeline.SalesPipeline;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The real-time large_order rule against the gold rule over the same records: the same alerts with the same
 * details for orders of one sale event; orders that reach the threshold only over several events are left to the
 * ingest query, which sends exactly those.
 */
class RealTimeAlertsTest {
  private static final BigDecimal MIN_NET = new BigDecimal("5000");

  @Test
  void largeSalesAlertAsTheGoldRuleDoesAndSplitOrdersAreLeftToTheIngestQuery() {
    SparkSession spark = SparkTestSession.get();
    PipelineContext ctx = TestData.context(spark);
    Dataset<Row> raw = TestData.raw(spark, "rt.jsonl",
        TestData.sale("big-eur", "FR-PARIS-01", "2025-03-07T10:00:00Z", "EUR", items(3, "2000.00")),
        // 5,800 USD at 0.9 = 5,220 EUR; 5,500 USD = 4,950 EUR stays below
        TestData.sale("big-usd", "US-NYC-01", "2025-03-07T12:00:00Z", "USD", items(1, "5800.00")),
        TestData.sale("under-usd", "US-NYC-01", "2025-03-07T13:00:00Z", "USD", items(1, "5500.00")),
        TestData.event("split-1", "sale", "o-split", "FR-PARIS-01", "2025-03-07T14:00:00Z", "EUR", "C2",
            items(1, "3000.00")),
        TestData.event("split-2", "sale", "o-split", "FR-PARIS-01", "2025-03-07T15:00:00Z", "EUR", "C2",
            items(1, "3000.00")),
        TestData.event("refund", "refund", "o-r", "FR-PARIS-01", "2025-03-07T16:00:00Z", "EUR", "C3",
            items(1, "7000.00")),
        TestData.sale("unknown-store", "XX-NOWHERE-1", "2025-03-07T10:00:00Z", "EUR", items(1, "9000.00")));

    Map<String, String> realTime = details(RealTimeAlerts.largeOrders(raw, ctx, MIN_NET));
    Dataset<Row> lines = SalesPipeline.salesLines(SalesPipeline.check(raw, ctx), ctx).cache();
    Dataset<Row> gold = SuspiciousTransactions.compute(lines, largeOrderOnly(), LocalDate.of(2025, 3, 1),
        LocalDate.of(2025, 3, 31));

    assertEquals(Map.of("big-eur", "{\"order_net\":6000.00,\"min_net\":5000}",
        "big-usd", "{\"order_net\":5220.00,\"min_net\":5000}"), realTime);
    Map<String, String> inGold = details(gold);
    assertEquals(Map.of("big-eur", inGold.get("big-eur"), "big-usd", inGold.get("big-usd")), realTime);
    assertEquals(java.util.Set.of("big-eur", "big-usd", "split-1", "split-2"), inGold.keySet());

    // The ingest query sends the rest: the split order's large_order rows and every other rule's rows.
    Dataset<Row> fresh = gold.unionByName(gold.filter("event_id = 'big-eur'")
        .withColumn("rule_id", org.apache.spark.sql.functions.lit(SuspiciousTransactions.CARD_VELOCITY)));
    Map<String, String> left = new TreeMap<>();
    RealTimeAlerts.notSentInRealTime(fresh, lines, MIN_NET).collectAsList()
        .forEach(r -> left.put(r.<String>getAs("rule_id") + ":" + r.getAs("event_id"), r.getAs("details")));
    assertEquals(java.util.Set.of("large_order:split-1", "large_order:split-2", "card_velocity:big-eur"),
        left.keySet());
    assertEquals("{\"order_net\":6000.00,\"min_net\":5000}", left.get("large_order:split-1"));
    lines.unpersist();
  }

  @Test
  void aLocalMasterGetsOneTaskThreadMorePerPartition() {
    assertEquals("local[5]", RealTimeSlots.widenLocal("local[*]", 3, 2));
    assertEquals("local[4]", RealTimeSlots.widenLocal("local", 3, 2));
    assertEquals("local[3]", RealTimeSlots.widenLocal("local[2]", 1, 8));
    assertEquals("local[6,4]", RealTimeSlots.widenLocal("local[3,4]", 3, 2));
    assertEquals(null, RealTimeSlots.widenLocal("spark://127.0.0.1:7077", 3, 2));
    assertEquals(null, RealTimeSlots.widenLocal("local-cluster[2,1,1024]", 3, 2));
  }

  private static String items(int quantity, String unitPrice) {
    return "[{\"sku\":\"SKU-1\",\"quantity\":" + quantity + ",\"unit_price\":" + unitPrice + "}]";
  }

  private static SuspiciousRules largeOrderOnly() {
    return new SuspiciousRules(true, MIN_NET, false, 1, Duration.ZERO, false, 1, Duration.ZERO);
  }

  private static Map<String, String> details(Dataset<Row> alerts) {
    Map<String, String> m = new TreeMap<>();
    alerts.collectAsList().forEach(r -> m.put(r.getAs("event_id"), r.getAs("details")));
    return m;
  }
}
