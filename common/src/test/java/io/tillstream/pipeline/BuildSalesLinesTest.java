package io.tillstream.pipeline;

import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Silver lines: category from products (unknown kept), exact amounts in the reporting currency. */
class BuildSalesLinesTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void salesLinesCarryCategoryBusinessDateAndExactReportingAmounts() {
    Dataset<Row> raw = TestData.raw(spark, "f",
        // 21:00 in New York on Saturday 8 March is 02:00 UTC on the 9th; the Friday rate 0.9 applies.
        sale("e11", "US-NYC-01", "2025-03-08T21:00:00-05:00", "USD",
            "[{\"sku\":\"SKU-2\",\"quantity\":3,\"unit_price\":3.333333,\"discount\":0.5},"
                + "{\"sku\":\"SKU-404\",\"quantity\":1,\"unit_price\":4}]"));
    Dataset<Row> classified = SalesPipeline.classify(raw, TestData.context(spark), TestData.noHistory(spark));
    List<Row> lines = SalesPipeline.salesLines(classified, TestData.context(spark))
        .selectExpr("line_no", "sku", "category", "cast(business_date as string)", "cast(event_time as string)",
            "fx_rate", "gross_amount", "discount_amount", "net_amount", "array_join(quality_warnings, ',')")
        .orderBy("line_no").collectAsList();
    assertEquals(2, lines.size());
    Row l1 = lines.get(0);
    assertEquals("apparel", l1.getString(2));
    assertEquals("2025-03-08", l1.getString(3));
    assertEquals("2025-03-09 02:00:00", l1.getString(4));
    assertEquals(new BigDecimal("0.9000000000"), l1.getDecimal(5));
    assertEquals(new BigDecimal("8.9999991000000000"), l1.getDecimal(6)); // 3 x 3.333333 x 0.9
    assertEquals(new BigDecimal("0.4500000000000000"), l1.getDecimal(7));
    assertEquals(new BigDecimal("8.5499991000000000"), l1.getDecimal(8));
    assertEquals("", l1.getString(9));
    Row l2 = lines.get(1);
    assertEquals("unknown", l2.getString(2));
    assertEquals(new BigDecimal("3.6000000000000000"), l2.getDecimal(8));
    assertEquals("unknown_sku", l2.getString(9));
  }}
