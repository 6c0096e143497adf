package io.tillstream.pipeline;

import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** --from/--to: accepted events outside the business-date range become out_of_range. */
class SelectDateRangeTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String ITEM = "[{\"sku\":\"SKU-1\",\"quantity\":2,\"unit_price\":10.00,\"discount\":1.00}]";

  @Test
  void dateRangeMarksEventsOutsideAsOutOfRange() {
    PipelineContext all = TestData.context(spark);
    PipelineContext ctx = new PipelineContext(all.stores(), all.products(), all.fxDaily(), "EUR", 7,
        all.severities(), all.futureLimit(), all.piiKey(), java.time.LocalDate.parse("2025-03-07"),
        java.time.LocalDate.parse("2025-03-07"));
    Dataset<Row> raw = TestData.raw(spark, "f",
        sale("e1", "FR-PARIS-01", "2025-03-07T23:30:00+01:00", "EUR", ITEM),
        sale("e2", "FR-PARIS-01", "2025-03-08T00:30:00+01:00", "EUR", ITEM));
    assertEquals(Map.of("1", "accept::", "2", "out_of_range::"),
        TestData.outcomes(SalesPipeline.classify(raw, ctx, TestData.noHistory(spark))));
  }}
