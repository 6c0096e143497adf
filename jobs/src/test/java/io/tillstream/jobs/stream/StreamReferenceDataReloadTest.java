package io.tillstream.jobs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.config.TillstreamConfig;
import io.tillstream.dims.DimensionFiles;
import io.tillstream.jobs.stream.StreamJob;
import io.tillstream.jobs.stream.StreamSettings;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.privacy.PiiKey;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running file stream (processing-time trigger) follows its reference files: events of a store that opened and
 * in a currency whose rates ran out are quarantined, the dims are replaced (write aside, then rename), and the next
 * file's events are accepted without a restart; a half-written stores.csv is then refused and the set kept.
 */
class StreamReferenceDataReloadTest {
  static final Map<String, String> ENV = Map.of("TILLSTREAM_PII_KEY", "reload-test-key-0123456789");
  static final String STORES = "store_id,name,city,country,region,timezone\n"
      + "GB-LONDON-01,London,London,GB,EMEA,Europe/London\n";
  static final String NEW_STORE = "NL-AMS-02,Amsterdam Zuid,Amsterdam,NL,EMEA,Europe/Amsterdam\n";
  static final String PRODUCTS = "sku,name,category,brand,unit_cost\nSKU-1,Apples,grocery,Farm,1.00\n";
  /** USD rates end on 3 March: with fx.max-age-days 7, a USD sale of 20 March has no rate. */
  static final String FX = "date,currency,rate_to_reporting\n2025-03-03,USD,0.9\n";
  static final String ITEMS = "[{\"sku\":\"SKU-1\",\"quantity\":2,\"unit_price\":10.0}]";

  private final SparkSession spark = SparkTestSession.get();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @TempDir
  Path work;

  @Test
  void aRunningStreamUsesReplacedReferenceDataFromTheNextMicroBatchOnAndRefusesAHalfWrittenFile()
      throws Exception {
    long t0 = System.nanoTime();
    Path dims = Files.createDirectories(work.resolve("dims"));
    Files.writeString(dims.resolve("stores.csv"), STORES);
    Files.writeString(dims.resolve("products.csv"), PRODUCTS);
    Files.writeString(dims.resolve("fx_rates.csv"), FX);
    Path landing = Files.createDirectories(work.resolve("landing"));
    Path lakeDir = work.resolve("lake");
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String v1 = DimensionFiles.look(hadoop, dims.toString()).describe();

    StreamSettings s = new StreamSettings(StreamSettings.Source.FILES, null, null, landing.toString(),
        dims.toString(), lakeDir.toString(), work.resolve("checkpoint").toString(), Duration.ofSeconds(1),
        TillstreamConfig.defaults().with("stream.dims.settle", "PT0.5S"));
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    StreamJob job = StreamJob.start(spark, s, PiiKey.fromEnvironment(ENV, "k1", false), 0, out);
    try {
      // Micro-batch 0: a store missing from stores.csv, USD sales after the last rate.
      land(landing, "batch-0.jsonl",
          TestData.sale("r-0-1", "GB-LONDON-01", "2025-03-20T10:00:00Z", "EUR", ITEMS),
          TestData.sale("r-0-2", "GB-LONDON-01", "2025-03-20T11:00:00Z", "EUR", ITEMS),
          TestData.sale("r-0-3", "NL-AMS-02", "2025-03-20T12:00:00+01:00", "EUR", ITEMS),
          TestData.sale("r-0-4", "GB-LONDON-01", "2025-03-20T13:00:00Z", "USD", ITEMS),
          TestData.sale("r-0-5", "GB-LONDON-01", "2025-03-20T14:00:00Z", "USD", ITEMS));
      awaitBatch(0);

      // The operator's update: each file written beside, then renamed into place.
      replace(dims, "stores.csv", STORES + NEW_STORE);
      replace(dims, "fx_rates.csv", FX + "2025-03-20,USD,0.8\n");
      String v2 = DimensionFiles.look(hadoop, dims.toString()).describe();
      land(landing, "batch-1.jsonl",
          TestData.sale("r-1-1", "NL-AMS-02", "2025-03-20T12:30:00+01:00", "EUR", ITEMS),
          TestData.sale("r-1-2", "GB-LONDON-01", "2025-03-20T15:00:00Z", "USD", ITEMS),
          TestData.sale("r-1-3", "GB-LONDON-01", "2025-03-20T16:00:00Z", "USD", ITEMS),
          TestData.sale("r-1-4", "GB-LONDON-01", "2025-03-20T17:00:00Z", "EUR", ITEMS));
      awaitBatch(1);

      // A copy in progress, written in place: the last line is cut, and NL-AMS-02 would be gone.
      Files.writeString(dims.resolve("stores.csv"), STORES + "NL-AMS-0");
      land(landing, "batch-2.jsonl",
          TestData.sale("r-2-1", "NL-AMS-02", "2025-03-20T18:00:00+01:00", "EUR", ITEMS));
      awaitBatch(2);
      job.stopGracefully(60_000);
      assertNull(job.await());
      System.out.printf("StreamReferenceDataReloadTest: 3 micro-batches in %d s%n%s",
          (System.nanoTime() - t0) / 1_000_000_000, text());

      Lake lake = new Lake(spark, lakeDir.toString());
      List<Row> runs = lake.read(Table.OPS_RUNS).filter("job = 'stream' AND run_id NOT LIKE 'stream-gold-%'")
          .orderBy("started_at")
          .select("read", "accepted", "quarantined", "duplicates", "status", "reference_data", "warning_messages")
          .collectAsList();
      assertEquals(3, runs.size());
      assertEquals(List.of(5L, 2L, 3L, 0L, "SUCCEEDED"), counts(runs.get(0)));
      assertEquals(List.of(4L, 4L, 0L, 0L, "SUCCEEDED"), counts(runs.get(1)));
      assertEquals(List.of(1L, 1L, 0L, 0L, "SUCCEEDED"), counts(runs.get(2)));
      assertEquals(v1, runs.get(0).getString(5));
      assertEquals(v2, runs.get(1).getString(5));
      assertNotEquals(v1, v2);
      assertEquals(v2, runs.get(2).getString(5), "the half-written file was not used");
      assertEquals(List.of(), runs.get(0).getList(6));
      assertEquals(List.of(), runs.get(1).getList(6));
      String refused = "reference_data_not_reloaded: " + dims + ": stores.csv does not end with a newline (still"
          + " being written?); the reference data loaded before stays in use";
      assertEquals(List.of(refused), runs.get(2).getList(6));

      assertEquals(List.of("r-0-3:unknown_store", "r-0-4:missing_fx_rate", "r-0-5:missing_fx_rate"),
          lake.read(Table.SILVER_QUARANTINE).orderBy("event_id")
              .selectExpr("concat(event_id, ':', array_join(rule_ids, ','))").as(
                  org.apache.spark.sql.Encoders.STRING()).collectAsList());
      // 2 x 10.00 USD at the new rate 0.8; EUR unchanged.
      assertEquals(List.of("r-0-1:EUR:20.00", "r-0-2:EUR:20.00", "r-1-1:EUR:20.00", "r-1-2:USD:16.00",
          "r-1-3:USD:16.00", "r-1-4:EUR:20.00", "r-2-1:EUR:20.00"),
          lake.read(Table.SILVER_SALES_LINES).orderBy("event_id")
              .selectExpr("concat(event_id, ':', currency, ':', CAST(CAST(net_amount AS DECIMAL(18,2)) AS"
                  + " STRING))").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

      String printed = text();
      assertTrue(printed.contains("stream: reference data " + v1 + "\n"), printed);
      assertTrue(printed.contains("stream: reference data reloaded for micro-batch 1: " + v2 + "\n"), printed);
      assertTrue(printed.contains("stream: warning (micro-batch 2): " + refused + "\n"), printed);
    } finally {
      job.stopGracefully(10_000);
    }
  }

  private static List<Object> counts(Row r) {
    return List.of(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getString(4));
  }

  private String text() {
    return output.toString(StandardCharsets.UTF_8);
  }

  /** Waits for the progress line of micro-batch {@code id}, printed after its ops.runs row is written. */
  private void awaitBatch(long id) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 600_000; // generous: the test machine is shared
    while (!text().contains("stream batch " + id + ": ")) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("micro-batch " + id + " did not run:\n" + text());
      }
      Thread.sleep(200);
    }
  }

  /** Writes an event file beside the landing folder and renames it in, as the file stream expects. */
  private void land(Path landing, String name, String... lines) throws Exception {
    Path aside = Files.write(work.resolve(name), List.of(lines));
    Files.move(aside, landing.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void replace(Path dims, String name, String content) throws Exception {
    Path aside = Files.writeString(dims.resolve("." + name + ".new"), content);
    Files.move(aside, dims.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }
}
