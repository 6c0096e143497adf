package io.tillstream.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SilverLines;
import io.tillstream.testing.SparkTestSession;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SuspiciousTransactionsTest {
  private final SparkSession spark = SparkTestSession.get();

  private List<String> fired(SilverLines l) {
    return SuspiciousTransactions.compute(l.build(spark), SuspiciousRules.defaults(), LocalDate.parse("2025-03-01"),
            LocalDate.parse("2025-03-31"))
        .selectExpr("concat(rule_id, ' ', event_id, ' ', details)").orderBy("rule_id", "event_id").collectAsList()
        .stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void largeOrderFiresAtTheThresholdOnTheOrderNet() {
    SilverLines l = new SilverLines()
        .line("e1", "sale", "o1", "FR-1", "2025-03-01", "2025-03-01T09:00:00Z", null, null, "S1", "g", 1, "3000", "0")
        .line("e1", "sale", "o1", "FR-1", "2025-03-01", "2025-03-01T09:00:00Z", null, null, "S2", "g", 1, "2000", "0")
        .line("e2", "sale", "o2", "FR-1", "2025-03-01", "2025-03-01T09:00:00Z", null, null, "S1", "g", 1, "4999.99", "0");
    assertEquals(List.of("large_order e1 {\"order_net\":5000.00,\"min_net\":5000}"), fired(l));
  }

  @Test
  void cardVelocityNeedsFiveSalesWithinTenMinutes() {
    SilverLines l = new SilverLines();
    String[] minutes = {"00", "02", "04", "06", "09", "20"};
    for (int i = 0; i < minutes.length; i++) {
      l.line("v" + i, "sale", "o" + i, "FR-1", "2025-03-02", "2025-03-02T10:" + minutes[i] + ":00Z", null, "card1", "S1",
          "g", 1, "1", "0");
    }
    // A refund never counts, another card neither.
    l.line("r", "refund", "o9", "FR-1", "2025-03-02", "2025-03-02T10:05:00Z", null, "card1", "S1", "g", 1, "1", "0");
    l.line("x", "sale", "ox", "FR-1", "2025-03-02", "2025-03-02T10:05:00Z", null, "card2", "S1", "g", 1, "1", "0");
    assertEquals(List.of("card_velocity v4 {\"sales_in_window\":5,\"window_minutes\":10}"), fired(l));
  }

  @Test
  void multiStoreCardNeedsThreeStoresWithinAnHour() {
    SilverLines l = new SilverLines()
        .line("m1", "sale", "o1", "FR-1", "2025-03-03", "2025-03-03T10:00:00Z", null, "card1", "S1", "g", 1, "1", "0")
        .line("m2", "sale", "o2", "FR-2", "2025-03-03", "2025-03-03T10:30:00Z", null, "card1", "S1", "g", 1, "1", "0")
        .line("m3", "sale", "o3", "FR-3", "2025-03-03", "2025-03-03T11:00:00Z", null, "card1", "S1", "g", 1, "1", "0")
        .line("m4", "sale", "o4", "FR-4", "2025-03-03", "2025-03-03T12:30:00Z", null, "card1", "S1", "g", 1, "1", "0");
    assertEquals(List.of("multi_store_card m3 {\"stores_in_window\":3,\"stores\":[\"FR-1\",\"FR-2\",\"FR-3\"],"
        + "\"window_minutes\":60}"), fired(l));
  }
}
