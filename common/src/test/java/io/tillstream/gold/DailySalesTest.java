package io.tillstream.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SilverLines;
import io.tillstream.testing.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class DailySalesTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void salesAndRefundsPerDayStoreCategoryWithExactColumns() {
    var lines = new SilverLines()
        .line("e1", "sale", "o1", "FR-1", "2025-03-03", "2025-03-03T09:00:00Z", "c1", null, "S1", "grocery", 2, "20.005", "1.00")
        .line("e1", "sale", "o1", "FR-1", "2025-03-03", "2025-03-03T09:00:00Z", "c1", null, "S2", "grocery", 1, "5.50", "0")
        .line("e2", "sale", "o2", "FR-1", "2025-03-03", "2025-03-03T10:00:00Z", "c2", null, "S1", "grocery", 1, "10.00", "0")
        .line("e3", "sale", "o3", "FR-1", "2025-03-03", "2025-03-03T11:00:00Z", "c1", null, "S3", "apparel", 1, "30.00", "0")
        .line("e4", "refund", "o1", "FR-1", "2025-03-03", "2025-03-03T12:00:00Z", "c9", null, "S1", "grocery", 1, "10.00", "0")
        // Only a refund that day: the group still has its row, with zero sales.
        .line("e5", "refund", "o3", "FR-1", "2025-03-04", "2025-03-04T12:00:00Z", "c1", null, "S3", "apparel", 1, "30.00", "0")
        .build(spark);
    List<Row> got = DailySales.compute(lines).orderBy("business_date", "category").collectAsList();
    assertEquals(List.of("business_date", "store_id", "category", "orders", "units_sold", "gross_amount",
        "discount_amount", "net_amount", "refund_amount", "net_after_refunds", "customers"),
        List.of(DailySales.compute(lines).columns()));
    assertEquals("DateType StringType StringType LongType LongType DecimalType(18,2) DecimalType(18,2)"
        + " DecimalType(18,2) DecimalType(18,2) DecimalType(18,2) LongType",
        String.join(" ", java.util.Arrays.stream(DailySales.compute(lines).schema().fields())
            .map(f -> f.dataType().toString()).toList()));
    assertEquals(3, got.size());
    assertEquals("[2025-03-03,FR-1,apparel,1,1,30.00,0.00,30.00,0.00,30.00,1]", got.get(0).toString());
    // grocery: gross 20.005 + 5.50 + 10.00 = 35.505 -> 35.51 (half-up); net 34.505 -> 34.51; 34.505 - 10 = 24.505 -> 24.51
    assertEquals("[2025-03-03,FR-1,grocery,2,4,35.51,1.00,34.51,10.00,24.51,2]", got.get(1).toString());
    assertEquals("[2025-03-04,FR-1,apparel,0,0,0.00,0.00,0.00,30.00,-30.00,0]", got.get(2).toString());
  }
}
