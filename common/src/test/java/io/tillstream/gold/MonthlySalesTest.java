package io.tillstream.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SilverLines;
import io.tillstream.testing.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class MonthlySalesTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void monthTotalsGrowthAndTopSkus() {
    SilverLines l = new SilverLines()
        .line("e1", "sale", "o1", "FR-1", "2025-02-10", "2025-02-10T09:00:00Z", "c1", null, "S1", "grocery", 1, "100", "0")
        .line("e2", "sale", "o2", "FR-1", "2025-03-01", "2025-03-01T09:00:00Z", "c1", null, "S1", "grocery", 1, "50", "0")
        .line("e3", "sale", "o3", "FR-2", "2025-03-31", "2025-03-31T09:00:00Z", "c2", null, "S2", "grocery", 2, "80", "5")
        .line("e4", "refund", "o2", "FR-1", "2025-03-15", "2025-03-15T09:00:00Z", "c1", null, "S1", "grocery", 1, "50", "0");
    for (int i = 3; i <= 8; i++) {
      l.line("e" + (10 + i), "sale", "o" + (10 + i), "FR-1", "2025-03-02", "2025-03-02T09:00:00Z", "c3", null,
          "S" + i, "grocery", 1, String.valueOf(i), "0");
    }
    List<Row> got = MonthlySales.compute(l.build(spark)).withColumn("top_skus",
        org.apache.spark.sql.functions.to_json(org.apache.spark.sql.functions.col("top_skus"))).orderBy("month")
        .collectAsList();
    assertEquals(2, got.size());
    assertEquals("[2025-02-01,FR,EMEA,grocery,100.00,0.00,100.00,1,1,null,null,[{\"sku\":\"S1\",\"net_amount\":100.00}]]", got.get(0).toString());
    // March net: 50 + 75 + 3+4+5+6+7+8 = 158; growth (158-100)/100 = 58.00 %; top 5 by net: S2 75, S1 50, S8, S7, S6.
    assertEquals("[2025-03-01,FR,EMEA,grocery,158.00,50.00,108.00,8,9,100.00,58.00,"
        + "[{\"sku\":\"S2\",\"net_amount\":75.00},{\"sku\":\"S1\",\"net_amount\":50.00},"
        + "{\"sku\":\"S8\",\"net_amount\":8.00},{\"sku\":\"S7\",\"net_amount\":7.00},"
        + "{\"sku\":\"S6\",\"net_amount\":6.00}]]", got.get(1).toString());
  }
}
