package io.tillstream.dims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.config.ConfigError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference files on the local disk, changed the ways operators and half-finished copies change them. */
class CurrentDimensionsTest {
  static final String STORES = "store_id,name,city,country,region,timezone\n"
      + "GB-LONDON-01,London,London,GB,EMEA,Europe/London\n";
  static final String NEW_STORE = "NL-AMS-02,Amsterdam Zuid,Amsterdam,NL,EMEA,Europe/Amsterdam\n";
  // SKU-1 twice: a duplicate key the set in use already has.
  static final String PRODUCTS = "sku,name,category,brand,unit_cost\n"
      + "SKU-1,Apples,grocery,Farm,1.00\nSKU-1,Apples,fruit,Farm,1.10\n";
  static final String FX = "date,currency,rate_to_reporting\n2025-03-03,USD,0.9\n";
  static final Duration SETTLE = Duration.ofMillis(1500);

  @TempDir
  Path work;
  Path dims;
  final Configuration hadoop = new Configuration();
  final List<Duration> waits = new ArrayList<>();

  @BeforeEach
  void referenceFiles() throws Exception {
    dims = Files.createDirectories(work.resolve("dims"));
    Files.writeString(dims.resolve("stores.csv"), STORES);
    Files.writeString(dims.resolve("products.csv"), PRODUCTS);
    Files.writeString(dims.resolve("fx_rates.csv"), FX);
  }

  private CurrentDimensions start() {
    return CurrentDimensions.start(hadoop, dims.toString(), SETTLE, waits::add);
  }

  /** Writes the new content beside the file, then renames it into place (what the README asks for). */
  private void replace(String name, String content) throws Exception {
    Path aside = dims.resolve("." + name + ".tmp");
    Files.writeString(aside, content);
    // A distinct modification time even on a coarse-grained clock.
    Files.setLastModifiedTime(aside, FileTime.from(Instant.now().plusSeconds(60)));
    Files.move(aside, dims.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private String notReloaded(String because) {
    return "reference_data_not_reloaded: " + dims + ": " + because + "; the reference data loaded before stays in use";
  }

  private static List<String> storeIds(CurrentDimensions.Loaded l) {
    return l.dims().stores().stream().map(Dimensions.Store::storeId).toList();
  }

  @Test
  void theFingerprintNamesEachFilesTimeLengthAndHash() throws Exception {
    Instant mtime = Instant.parse("2026-03-14T09:12:44.120Z");
    Files.setLastModifiedTime(dims.resolve("stores.csv"), FileTime.from(mtime));
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(STORES.getBytes(StandardCharsets.UTF_8)));
    CurrentDimensions.Loaded loaded = CurrentDimensions.load(hadoop, dims.toString());
    String fingerprint = loaded.fingerprint();
    assertTrue(fingerprint.startsWith("stores.csv@2026-03-14T09:12:44.120Z 92B sha256:" + sha.substring(0, 12)
        + "; products.csv@"), fingerprint);
    assertTrue(fingerprint.matches("stores\\.csv@\\S+ 92B sha256:[0-9a-f]{12}; products\\.csv@\\S+Z 94B"
        + " sha256:[0-9a-f]{12}; fx_rates\\.csv@\\S+Z 51B sha256:[0-9a-f]{12}"), fingerprint);
    assertEquals(List.of("GB-LONDON-01"), storeIds(loaded));
  }

  @Test
  void unchangedFilesKeepTheSetWithoutWaiting() {
    CurrentDimensions current = start();
    CurrentDimensions.Loaded first = current.inUse();
    CurrentDimensions.Check check = current.refresh();
    assertFalse(check.reloaded());
    assertEquals(List.of(), check.warnings());
    assertSame(first, check.inUse());
    assertEquals(List.of(), waits);
  }

  @Test
  void aCompleteSetRenamedIntoPlaceIsReloadedAfterSettling() throws Exception {
    CurrentDimensions current = start();
    String before = current.inUse().fingerprint();
    replace("stores.csv", STORES + NEW_STORE);
    // The lines of the duplicate SKU-1 move: the same warning, so no new problem.
    replace("products.csv", "sku,name,category,brand,unit_cost\nSKU-2,Pears,grocery,Farm,2.00\n"
        + PRODUCTS.substring(PRODUCTS.indexOf('\n') + 1));
    CurrentDimensions.Check check = current.refresh();
    assertEquals(List.of(), check.warnings());
    assertTrue(check.reloaded());
    assertEquals(List.of(SETTLE), waits);
    assertEquals(List.of("GB-LONDON-01", "NL-AMS-02"), storeIds(check.inUse()));
    assertEquals(List.of("SKU-1", "SKU-2"), check.inUse().dims().products().stream()
        .map(Dimensions.Product::sku).sorted().toList());
    assertSame(check.inUse(), current.inUse());
    String after = check.inUse().fingerprint();
    assertNotEquals(before.split("; ")[0], after.split("; ")[0]);
    assertNotEquals(before.split("; ")[1], after.split("; ")[1]);
    assertEquals(before.split("; ")[2], after.split("; ")[2], "fx_rates.csv did not change");
    assertFalse(current.refresh().reloaded());
    assertEquals(1, waits.size());
  }

  @Test
  void aHalfWrittenFileIsRefusedAtOnceUntilItIsComplete() throws Exception {
    CurrentDimensions current = start();
    CurrentDimensions.Loaded first = current.inUse();
    // A copy in progress, written in place: the last line is cut.
    Files.writeString(dims.resolve("stores.csv"), STORES + "NL-AMS-02,Amsterdam Zuid,Amst");
    CurrentDimensions.Check check = current.refresh();
    assertEquals(List.of(notReloaded("stores.csv does not end with a newline (still being written?)")),
        check.warnings());
    assertSame(first, check.inUse());
    assertEquals(List.of(notReloaded("stores.csv does not end with a newline (still being written?) (unchanged"
        + " since)")), current.refresh().warnings());
    assertEquals(List.of(), waits, "refused without waiting");
    Files.writeString(dims.resolve("stores.csv"), STORES + NEW_STORE);
    CurrentDimensions.Check done = current.refresh();
    assertTrue(done.reloaded(), done.warnings().toString());
    assertEquals(List.of("GB-LONDON-01", "NL-AMS-02"), storeIds(done.inUse()));
  }

  @Test
  void anEmptyOrMissingFileIsRefused() throws Exception {
    CurrentDimensions current = start();
    Files.writeString(dims.resolve("fx_rates.csv"), "");
    assertEquals(List.of(notReloaded("fx_rates.csv is empty")), current.refresh().warnings());
    Files.delete(dims.resolve("fx_rates.csv"));
    assertEquals(List.of(notReloaded("reference file " + dims + "/fx_rates.csv does not exist (point --dims at a"
        + " directory with stores.csv, products.csv and fx_rates.csv)")), current.refresh().warnings());
    assertEquals(List.of(0.9), current.inUse().dims().fxRates().stream().map(r -> r.rate().doubleValue()).toList());
  }

  @Test
  void filesStillChangingAfterTheSettleWindowAreNotLoaded() throws Exception {
    List<Duration> seen = new ArrayList<>();
    // The operator renames stores.csv, and fx_rates.csv only while the check waits.
    CurrentDimensions current = CurrentDimensions.start(hadoop, dims.toString(), SETTLE, d -> {
      seen.add(d);
      if (seen.size() == 1) {
        try {
          replace("fx_rates.csv", FX + "2025-03-20,USD,0.8\n");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    replace("stores.csv", STORES + NEW_STORE);
    CurrentDimensions.Check check = current.refresh();
    assertFalse(check.reloaded());
    assertEquals(List.of(notReloaded("the files are still changing (fx_rates.csv changed within 1500 ms)")),
        check.warnings());
    assertEquals(List.of("GB-LONDON-01"), storeIds(check.inUse()));
    // Not remembered as refused: the next check waits again and takes the whole new set.
    CurrentDimensions.Check next = current.refresh();
    assertTrue(next.reloaded(), next.warnings().toString());
    assertEquals(2, seen.size());
    assertEquals(List.of("GB-LONDON-01", "NL-AMS-02"), storeIds(next.inUse()));
    assertEquals(2, next.inUse().dims().fxRates().size());
  }

  @Test
  void aSetThatLoadsWithNewProblemsOrNotAtAllIsRefused() throws Exception {
    CurrentDimensions current = start();
    replace("stores.csv", STORES + "NL-AMS-02,Amsterdam Zuid,Amsterdam,NL,EMEA,Europe/Amsterdamm\n");
    assertEquals(List.of(notReloaded("1 new problem(s): dimension_row_ignored: " + dims + "/stores.csv:3: timezone"
        + " 'Europe/Amsterdamm' of store NL-AMS-02 is not an IANA time zone (e.g. Europe/Paris); its events will be"
        + " unknown_store; row ignored")), current.refresh().warnings());
    assertEquals(List.of(SETTLE), waits);
    // Refused again at once while unchanged.
    assertEquals(1, current.refresh().warnings().size());
    assertEquals(List.of(SETTLE), waits);

    replace("stores.csv", STORES + NEW_STORE);
    replace("fx_rates.csv", "date,currency,rate\n2025-03-03,USD,0.9\n");
    List<String> warnings = current.refresh().warnings();
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).startsWith("reference_data_not_reloaded: " + dims + ": " + dims
        + "/fx_rates.csv: header [date, currency, rate] lacks column 'rate_to_reporting'"), warnings.get(0));
    assertEquals(List.of("GB-LONDON-01"), storeIds(current.inUse()));

    replace("fx_rates.csv", FX + "2025-03-20,USD,0.8\n");
    assertTrue(current.refresh().reloaded());
    assertEquals(List.of("GB-LONDON-01", "NL-AMS-02"), storeIds(current.inUse()));
  }

  @Test
  void theFirstLoadFailsFastOnAMissingFile() throws Exception {
    Files.delete(dims.resolve("products.csv"));
    ConfigError e = assertThrows(ConfigError.class, this::start);
    assertTrue(e.getMessage().contains("products.csv does not exist"), e.getMessage());
  }
}
