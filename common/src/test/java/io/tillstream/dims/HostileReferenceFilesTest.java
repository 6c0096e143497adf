package io.tillstream.dims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tillstream.config.ConfigError;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile reference files read from disk as Dimensions.load reads them (docs/reliability.md). */
class HostileReferenceFilesTest {
  private static final String STORES = "store_id,name,city,country,region,timezone\n"
      + "NL-AMS-01,Amsterdam,Amsterdam,NL,EMEA,Europe/Amsterdam\n";
  private static final String FX = "date,currency,rate_to_reporting\n2025-03-03,USD,0.9\n";

  private static void write(Path dir, String stores, String products) throws IOException {
    Files.write(dir.resolve("stores.csv"), stores.getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("products.csv"), products.getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("fx_rates.csv"), FX.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void productsWithAByteOrderMarkCrlfAndQuotedNewlinesLoadExactly(@TempDir Path dir) throws IOException {
    write(dir, STORES, "\uFEFFsku,name,category,brand,unit_cost\r\n"
        + "SKU-1,Apples,grocery,Farm,1.10\r\n"
        + "SKU-Q,\"Socks\r\nwool, \"\"warm\"\"\",apparel,Knit,2.00\r\n"
        + "SKU-3,Pears,grocery,Farm,0.90\r\n");
    Dimensions d = Dimensions.load(new Configuration(), dir.toString());
    assertEquals(List.of(
        new Dimensions.Product("SKU-1", "Apples", "grocery", "Farm", new BigDecimal("1.100000")),
        new Dimensions.Product("SKU-Q", "Socks\nwool, \"warm\"", "apparel", "Knit", new BigDecimal("2.000000")),
        new Dimensions.Product("SKU-3", "Pears", "grocery", "Farm", new BigDecimal("0.900000"))), d.products());
    assertEquals(List.of(), d.warnings());
  }

  @Test
  void aStoreWithAnUnknownTimeZoneIsIgnoredWithAWarningNamingFileAndLine(@TempDir Path dir) throws IOException {
    write(dir, STORES + "XX-MARS-01,Olympus,Olympus,XX,MARS,Mars/Olympus\n"
        + "XX-UTC-01,Offset,Nowhere,XX,MARS,UTC+25\n", "sku,name,category,brand,unit_cost\n");
    Dimensions d = Dimensions.load(new Configuration(), dir.toString());
    assertEquals(List.of("NL-AMS-01"), d.stores().stream().map(Dimensions.Store::storeId).toList());
    assertEquals(List.of(
        "dimension_row_ignored: " + dir + "/stores.csv:3: timezone 'Mars/Olympus' of store XX-MARS-01 is not an"
            + " IANA time zone (e.g. Europe/Paris); its events will be unknown_store; row ignored",
        "dimension_row_ignored: " + dir + "/stores.csv:4: timezone 'UTC+25' of store XX-UTC-01 is not an"
            + " IANA time zone (e.g. Europe/Paris); its events will be unknown_store; row ignored"), d.warnings());
  }

  @Test
  void anUnterminatedQuoteFailsFastNamingFileAndLine(@TempDir Path dir) throws IOException {
    write(dir, STORES, "sku,name,category,brand,unit_cost\nSKU-1,Apples,grocery,Farm,1.10\n"
        + "SKU-2,\"Socks,apparel,Knit,2.00\nSKU-3,Pears,grocery,Farm,0.90\n");
    ConfigError e = assertThrows(ConfigError.class, () -> Dimensions.load(new Configuration(), dir.toString()));
    assertEquals(dir + "/products.csv:3: unterminated quoted field", e.getMessage());
  }
}
