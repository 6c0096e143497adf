package io.tillstream.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.dims.DimensionFiles;
import io.tillstream.jobs.Main;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fx.max-age-days through the real command line: a --conf file, then --set over it. The only USD rate is of
 * 3 March, and USD sales run from 3 to 6 March, so how many are accepted says which value reached the pipeline
 * (the default, 7, would accept all of them). The runs also record the reference data they used.
 */
class FxMaxAgeConfigurationTest {
  static final Map<String, String> ENV = Map.of("TILLSTREAM_PII_KEY", "fx-age-test-key-0123456789");
  static final String ITEMS = "[{\"sku\":\"SKU-1\",\"quantity\":2,\"unit_price\":10.0}]";
  private final SparkSession spark = SparkTestSession.get();

  @TempDir
  static Path work;

  @BeforeAll
  static void inputs() throws Exception {
    Path dims = Files.createDirectories(work.resolve("dims"));
    Files.writeString(dims.resolve("stores.csv"), "store_id,name,city,country,region,timezone\n"
        + "GB-LONDON-01,London,London,GB,EMEA,Europe/London\n");
    Files.writeString(dims.resolve("products.csv"), "sku,name,category,brand,unit_cost\n"
        + "SKU-1,Apples,grocery,Farm,1.00\n");
    Files.writeString(dims.resolve("fx_rates.csv"), "date,currency,rate_to_reporting\n2025-03-03,USD,0.9\n");
    Path events = Files.createDirectories(work.resolve("events"));
    Files.write(events.resolve("sales.jsonl"), List.of(
        TestData.sale("fx-eur", "GB-LONDON-01", "2025-03-06T12:00:00Z", "EUR", ITEMS),
        TestData.sale("fx-usd-0", "GB-LONDON-01", "2025-03-03T12:00:00Z", "USD", ITEMS),
        TestData.sale("fx-usd-1", "GB-LONDON-01", "2025-03-04T12:00:00Z", "USD", ITEMS),
        TestData.sale("fx-usd-2", "GB-LONDON-01", "2025-03-05T12:00:00Z", "USD", ITEMS),
        TestData.sale("fx-usd-3", "GB-LONDON-01", "2025-03-06T12:00:00Z", "USD", ITEMS)));
    Files.writeString(work.resolve("site.properties"), "# a site's profile\nfx.max-age-days=2\n");
  }

  /** Runs the batch command into a new lake with the given extra arguments; returns that lake. */
  private Lake batch(String lakeName, String... extra) {
    String lake = work.resolve(lakeName).toString();
    List<String> args = new ArrayList<>(List.of("batch", "--input", work.resolve("events").toString(), "--dims",
        work.resolve("dims").toString(), "--lake", lake));
    args.addAll(List.of(extra));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(new String[0]), ENV, new PrintStream(out, true, StandardCharsets.UTF_8),
        System.err);
    assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
    // The command's own spark.* settings (shuffle partitions 4, ...) did not replace the test session's.
    SparkTestSession.SETTINGS.forEach((k, v) -> assertEquals(v, spark.conf().get(k), k));
    return new Lake(spark, lake);
  }

  private static List<String> eventIds(Lake lake, Table table) {
    return lake.read(table).select("event_id").distinct().orderBy("event_id").as(Encoders.STRING()).collectAsList();
  }

  private static List<Object> counts(Lake lake) {
    Row r = lake.read(Table.OPS_RUNS).head();
    return List.of(r.getAs("read"), r.getAs("accepted"), r.getAs("quarantined"), r.getAs("duplicates"));
  }

  @Test
  void aConfFileSetsTheMaximumAgeOfAnFxRate() {
    Lake lake = batch("lake-conf", "--conf", work.resolve("site.properties").toString());
    assertEquals(List.of(5L, 4L, 1L, 0L), counts(lake));
    assertEquals(List.of("fx-eur", "fx-usd-0", "fx-usd-1", "fx-usd-2"), eventIds(lake, Table.SILVER_SALES_LINES));
    // Two days after the rate, at the rate of 3 March: 2 x 10.00 USD x 0.9.
    assertEquals(List.of("18.00"), lake.read(Table.SILVER_SALES_LINES).filter("event_id = 'fx-usd-2'")
        .selectExpr("CAST(CAST(net_amount AS DECIMAL(18,2)) AS STRING)").as(Encoders.STRING()).collectAsList());
    assertEquals(List.of("fx-usd-3:missing_fx_rate"), lake.read(Table.SILVER_QUARANTINE)
        .selectExpr("concat(event_id, ':', array_join(rule_ids, ','))").as(Encoders.STRING()).collectAsList());
    assertEquals(DimensionFiles.look(spark.sparkContext().hadoopConfiguration(), work.resolve("dims").toString())
        .describe(), lake.read(Table.OPS_RUNS).head().getAs("reference_data"));
  }

  @Test
  void setOverridesTheConfFile() {
    Lake lake = batch("lake-set", "--conf", work.resolve("site.properties").toString(), "--set",
        "fx.max-age-days=0");
    assertEquals(List.of(5L, 2L, 3L, 0L), counts(lake));
    assertEquals(List.of("fx-eur", "fx-usd-0"), eventIds(lake, Table.SILVER_SALES_LINES));
    assertEquals(List.of("fx-usd-1", "fx-usd-2", "fx-usd-3"), eventIds(lake, Table.SILVER_QUARANTINE));
  }
}
