package io.tillstream.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SilverLines;
import io.tillstream.testing.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class CustomerValueTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void onePerCustomerWithSalesRecencyAsOfLatestDate() {
    var lines = new SilverLines()
        .line("e1", "sale", "o1", "FR-1", "2025-03-01", "2025-03-01T09:00:00Z", "c1", null, "S1", "g", 1, "10", "0")
        .line("e2", "sale", "o2", "FR-1", "2025-03-05", "2025-03-05T09:00:00Z", "c1", null, "S1", "g", 1, "20", "1")
        .line("e3", "refund", "o2", "FR-1", "2025-03-06", "2025-03-06T09:00:00Z", "c1", null, "S1", "g", 1, "19", "0")
        .line("e4", "refund", "o9", "FR-1", "2025-03-06", "2025-03-06T09:00:00Z", "c2", null, "S1", "g", 1, "5", "0")
        .line("e5", "sale", "o5", "FR-1", "2025-03-10", "2025-03-10T09:00:00Z", null, null, "S1", "g", 1, "99", "0")
        .build(spark);
    List<Row> got = CustomerValue.compute(lines).collectAsList();
    assertEquals(1, got.size(), "refund-only customers and guests have no row");
    assertEquals("[c1,2025-03-01,2025-03-05,2,29.00,19.00,10.00,5,2025-03-10]", got.get(0).toString());
  }
}
