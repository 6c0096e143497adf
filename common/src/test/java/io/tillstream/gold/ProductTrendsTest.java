package io.tillstream.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SilverLines;
import io.tillstream.testing.SparkTestSession;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ProductTrendsTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void movingAverageCountsMissingDaysAsZeroAndTrendComparesWeeks() {
    SilverLines l = new SilverLines();
    // S1 sells 7.00 on each of 1..7 March, then 14.00 on 14 March; S2 sells 21.00 on 14 March.
    for (int d = 1; d <= 7; d++) {
      l.line("a" + d, "sale", "o" + d, "FR-1", "2025-03-0" + d, "2025-03-0" + d + "T09:00:00Z", null, null, "S1",
          "grocery", 1, "7", "0");
    }
    l.line("b", "sale", "ob", "FR-1", "2025-03-14", "2025-03-14T09:00:00Z", null, null, "S1", "grocery", 2, "14", "0");
    l.line("c", "sale", "oc", "FR-1", "2025-03-14", "2025-03-14T10:00:00Z", null, null, "S2", "grocery", 3, "21", "0");
    l.line("r", "refund", "ob", "FR-1", "2025-03-14", "2025-03-14T11:00:00Z", null, null, "S1", "grocery", 1, "7", "0");
    List<Row> got = ProductTrends.compute(l.build(spark), LocalDate.parse("2025-03-07"), LocalDate.parse("2025-03-14"))
        .orderBy("business_date", "sku").collectAsList();
    assertEquals(3, got.size());
    assertEquals("[2025-03-07,S1,grocery,1,7.00,7.00,1.00,null,1]", got.get(0).toString());
    // 14 March: last 7 days (8..14) net 14, previous 7 (1..7) 49 -> 14/49 - 1 = -0.7143; ma7 = 2.00
    assertEquals("[2025-03-14,S1,grocery,2,14.00,2.00,0.29,-0.7143,2]", got.get(1).toString());
    assertEquals("[2025-03-14,S2,grocery,3,21.00,3.00,0.43,null,1]", got.get(2).toString());
  }
}
