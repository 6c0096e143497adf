package io.tillstream.pipeline;

import static io.tillstream.testing.TestData.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class EnrichEventsTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final String ITEM = "[{\"sku\":\"SKU-1\",\"quantity\":1,\"unit_price\":1}]";

  private List<String> enrich(String... lines) {
    var ctx = TestData.context(spark);
    Dataset<Row> parsed = ParseEvents.apply(TestData.raw(spark, "f", lines), TestData.KEY);
    return EnrichEvents.withFxRate(EnrichEvents.withStore(parsed, ctx.stores()), ctx.fxDaily(), "EUR")
        .selectExpr("concat_ws(' ', event_id, coalesce(cast(business_date as string), 'null'),"
            + " coalesce(cast(fx_rate as string), 'null'), coalesce(region, 'null'))")
        .orderBy("event_id").collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void businessDateIsTheStoresLocalDateAcrossMidnightAndDaylightSaving() {
    assertEquals(List.of(
            // 23:30 in Paris on 2 March is 22:30 UTC the same day.
            "a 2025-03-02 1.0000000000 EMEA",
            // 00:30 in Paris on 3 March is still 2 March in UTC.
            "b 2025-03-03 1.0000000000 EMEA",
            // 03:30 UTC on 10 March is 23:30 on 9 March in New York (EDT since 9 March): Sunday, Friday's rate.
            "c 2025-03-09 0.9000000000 AMER",
            "d null null null"),
        enrich(
            sale("a", "FR-PARIS-01", "2025-03-02T23:30:00+01:00", "EUR", ITEM),
            sale("b", "FR-PARIS-01", "2025-03-03T00:30:00+01:00", "EUR", ITEM),
            sale("c", "US-NYC-01", "2025-03-10T03:30:00Z", "USD", ITEM),
            sale("d", "ZZ-NOWHERE", "2025-03-10T03:30:00Z", "USD", ITEM)));
  }

  @Test
  void fxRateIsMissingBeforeTheFirstRateAndAfterSevenDays() {
    assertEquals(List.of("e 2025-03-06 null AMER", "f 2025-03-17 0.8000000000 AMER", "g 2025-03-18 null AMER"),
        enrich(
            sale("e", "US-NYC-01", "2025-03-06T12:00:00-05:00", "USD", ITEM),
            sale("f", "US-NYC-01", "2025-03-17T12:00:00-04:00", "USD", ITEM),
            sale("g", "US-NYC-01", "2025-03-18T12:00:00-04:00", "USD", ITEM)));
  }
}
