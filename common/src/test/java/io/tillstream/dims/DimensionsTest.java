package io.tillstream.dims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.config.ConfigError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DimensionsTest {
  private static CsvFile csv(String text, List<String> columns) throws IOException {
    return CsvFile.parse("mem.csv", new BufferedReader(new StringReader(text)), columns);
  }

  @Test
  void lastRowOfARepeatedKeyWinsWithAWarning() throws IOException {
    CsvFile f = csv("sku,name,category,brand,unit_cost\n"
        + "SKU-1,Apples,grocery,Farm,1.10\n"
        + "SKU-2,\"Socks, wool\",apparel,Knit,\n"
        + "SKU-1,Apples v2,fruit,Farm,1.20\n", List.of("sku", "name", "category", "brand", "unit_cost"));
    List<String> warnings = new ArrayList<>();
    List<Dimensions.Product> products = Dimensions.parseProducts(f, warnings);
    assertEquals(2, products.size());
    assertEquals("fruit", products.get(0).category());
    assertEquals(new BigDecimal("1.200000"), products.get(0).unitCost());
    assertEquals("Socks, wool", products.get(1).name());
    assertEquals(null, products.get(1).unitCost());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).startsWith("duplicate_dimension_key: mem.csv:4 repeats sku 'SKU-1' of line 2"),
        warnings.get(0));
  }

  @Test
  void unusableRowsAreIgnoredWithAWarningButAMissingColumnFailsFast() throws IOException {
    List<String> warnings = new ArrayList<>();
    List<Dimensions.Store> stores = Dimensions.parseStores(csv("store_id,name,city,country,region,timezone\n"
        + "S1,n,c,FR,EMEA,Mars/Olympus\n"
        + ",n,c,FR,EMEA,Europe/Paris\n"
        + "S3,n,c,FR\n"
        + "S4,n,c,FR,EMEA,Europe/Paris\n", List.of("store_id", "timezone")), warnings);
    assertEquals(List.of("S4"), stores.stream().map(Dimensions.Store::storeId).toList());
    assertEquals(List.of(
        "dimension_row_ignored: mem.csv:4: 4 fields, the header has 6; row ignored",
        "dimension_row_ignored: mem.csv:2: timezone 'Mars/Olympus' of store S1 is not an IANA time zone"
            + " (e.g. Europe/Paris); its events will be unknown_store; row ignored",
        "dimension_row_ignored: mem.csv:3: empty store_id; row ignored"), warnings);
    ConfigError col = assertThrows(ConfigError.class, () -> csv("store_id,name\nS1,n\n",
        List.of("store_id", "timezone")));
    assertTrue(col.getMessage().contains("'timezone'"), col.getMessage());
  }

  @Test
  void fxDuplicatesKeepTheLastRateAndUnusableRatesAreIgnored() throws IOException {
    List<String> warnings = new ArrayList<>();
    List<FxRates.Rate> rates = FxRates.parse(csv("date,currency,rate_to_reporting\n2025-03-07,USD,0.9\n"
        + "2025-03-07,USD,0.91\n", List.of("date", "currency", "rate_to_reporting")), warnings);
    assertEquals(1, rates.size());
    assertEquals(new BigDecimal("0.9100000000"), rates.get(0).rate());
    assertEquals(1, warnings.size());
    List<String> bad = new ArrayList<>();
    assertEquals(List.of(), FxRates.parse(csv("date,currency,rate_to_reporting\n2025-03-07,USD,-1\n"
        + "2025-03-32,USD,1\n2025-03-07,usd,1\n2025-03-07,GBP,\n", List.of("date", "currency", "rate_to_reporting")),
        bad));
    assertEquals(4, bad.size(), bad.toString());
    assertTrue(bad.get(0).contains("mem.csv:2: rate_to_reporting -1.0000000000 must be > 0"), bad.get(0));
  }

  @Test
  void quotedFieldsMaySpanLinesAndEscapeQuotesAndRowsKeepTheLineTheyStartOn() throws IOException {
    CsvFile f = csv("a,b,c\n\nx,\"b \"\"x\"\",\ny\",\n\n\"two\nlines\nmore\",q,r\nlast,1,2\n", List.of("a", "b", "c"));
    assertEquals(List.of(2 + 1, 6, 9), f.rows().stream().map(CsvFile.Row::line).toList());
    assertEquals(List.of("b \"x\",\ny", "", "two\nlines\nmore"),
        List.of(f.rows().get(0).get("b"), f.rows().get(0).get("c"), f.rows().get(1).get("a")));
    assertEquals("2", f.rows().get(2).get("c"));
  }
}
