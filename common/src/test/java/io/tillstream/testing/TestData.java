package io.tillstream.testing;

import io.tillstream.contract.EventSchemas;
import io.tillstream.dims.Dimensions;
import io.tillstream.dims.FxRates;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.privacy.PiiKey;
import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Tiny inline reference data and raw records for pipeline tests. */
public final class TestData {
  public static final PiiKey KEY = PiiKey.of("test", "test-only-key-0123456789abcdef");
  /** Processing time of test runs: well after the test events, so none is "in the future". */
  public static final Instant NOW = Instant.parse("2025-04-01T00:00:00Z");

  public static Dimensions dims() {
    List<Dimensions.Store> stores = List.of(
        new Dimensions.Store("FR-PARIS-01", "Paris Opera", "Paris", "FR", "EMEA", "Europe/Paris"),
        new Dimensions.Store("US-NYC-01", "NYC 5th Ave", "New York", "US", "AMER", "America/New_York"));
    List<Dimensions.Product> products = List.of(
        new Dimensions.Product("SKU-1", "Apples", "grocery", "Farm", new BigDecimal("1.00")),
        new Dimensions.Product("SKU-2", "Socks, wool", "apparel", "Knit", null));
    List<FxRates.Rate> fx = List.of(
        new FxRates.Rate(LocalDate.parse("2025-03-07"), "USD", new BigDecimal("0.9000000000")),
        new FxRates.Rate(LocalDate.parse("2025-03-10"), "USD", new BigDecimal("0.8000000000")));
    return new Dimensions(stores, products, fx, List.of());
  }

  public static Map<String, Severity> defaultSeverities() {
    Map<String, Severity> m = new LinkedHashMap<>();
    QualityRules.all().forEach(r -> m.put(r.id(), r.defaultSeverity()));
    return m;
  }

  public static PipelineContext context(SparkSession spark) {
    return context(spark, defaultSeverities());
  }

  public static PipelineContext context(SparkSession spark, Map<String, Severity> severities) {
    Dimensions d = dims();
    return new PipelineContext(d.storesFrame(spark), d.productsFrame(spark), d.fxDailyFrame(spark, 7), "EUR", 7,
        severities, Timestamp.from(NOW.plusSeconds(86_400)), KEY, null, null);
  }

  /** Raw records of one pretend file, numbered from line 1. */
  public static Dataset<Row> raw(SparkSession spark, String file, String... lines) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      rows.add(RowFactory.create(file, (long) (i + 1), lines[i]));
    }
    return spark.createDataFrame(rows, EventSchemas.RAW);
  }

  /** Nothing accepted before. */
  public static Dataset<Row> noHistory(SparkSession spark) {
    return spark.emptyDataFrame().selectExpr("CAST(NULL AS STRING) AS event_id",
        "CAST(NULL AS STRING) AS content_hash").limit(0);
  }

  /** A valid sale with the given id, store, time and items JSON. */
  public static String sale(String eventId, String store, String time, String currency, String items) {
    return event(eventId, "sale", "o-" + eventId, store, time, currency, "C1", items);
  }

  public static String event(String eventId, String type, String orderId, String store, String time,
      String currency, String customerId, String items) {
    return "{\"schema_version\":1,\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\",\"event_time\":\""
        + time + "\",\"order_id\":\"" + orderId + "\",\"store_id\":\"" + store + "\",\"channel\":\"pos\","
        + "\"currency\":\"" + currency + "\",\"customer\":{\"customer_id\":\"" + customerId + "\",\"email\":\""
        + customerId.toLowerCase() + "@example.com\",\"phone\":\"+33-1-5555-0101\"},"
        + "\"payment\":{\"method\":\"card\",\"card_number\":\"4111111111111111\"},\"items\":" + items + "}";
  }

  /** source_line -> "disposition:violated rule ids:warning ids" of classified records. */
  public static Map<String, String> outcomes(Dataset<Row> classified) {
    Map<String, String> m = new java.util.TreeMap<>();
    for (Row r : classified.selectExpr("concat(source_line, '')", "concat(disposition, ':',"
        + " array_join(transform(violations, v -> v.rule), ','), ':', array_join(quality_warnings, ','))")
        .collectAsList()) {
      m.put(r.getString(0), r.getString(1));
    }
    return m;
  }

  private TestData() {}
}
