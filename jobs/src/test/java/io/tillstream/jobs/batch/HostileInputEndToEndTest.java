package io.tillstream.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.ingest.RawLines;
import io.tillstream.jobs.Main;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile input catalogue (docs/reliability.md) through one batch run: every hostile file in one input folder,
 * beside hostile reference files, then each record's exact outcome by (file, line), the reconciliation, and every
 * input file's bytes and modification time unchanged. Inputs that must fail fast are run separately (no Spark job
 * starts for them).
 */
class HostileInputEndToEndTest {
  private static final String ACCEPTED = "accepted";
  private final SparkSession spark = SparkTestSession.get();

  /** A valid sale of one SKU-1 at 2.50 in Amsterdam; {@code extra} is appended inside the object. */
  static String sale(String id, String time, String quantity, String unitPrice, String extra) {
    return "{\"schema_version\":1,\"event_id\":\"" + id + "\",\"event_type\":\"sale\",\"event_time\":\"" + time
        + "\",\"order_id\":\"o-" + id + "\",\"store_id\":\"NL-AMS-01\",\"currency\":\"EUR\",\"items\":[{\"sku\":"
        + "\"SKU-1\",\"quantity\":" + quantity + ",\"unit_price\":" + unitPrice + "}]" + extra + "}";
  }

  static String sale(String id) {
    return sale(id, "2025-03-03T10:00:00+01:00", "1", "2.5", "");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Writes the hostile inputs; returns the expected outcome of every record by "file:line". */
  static Map<String, String> writeHostileInputs(Path in, Path outside) throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    Files.createDirectories(in);
    // UTF-8 byte order mark before the first record.
    Files.write(in.resolve("bom.jsonl"), utf8("\uFEFF" + sale("bom") + "\n"));
    expected.put("bom.jsonl:1", ACCEPTED);
    // CRLF and a lone CR end lines too.
    Files.write(in.resolve("crlf.jsonl"), utf8(sale("crlf-1") + "\r\n" + sale("crlf-2") + "\r" + sale("crlf-3")
        + "\r\n"));
    expected.put("crlf.jsonl:1", ACCEPTED);
    expected.put("crlf.jsonl:2", ACCEPTED);
    expected.put("crlf.jsonl:3", ACCEPTED);
    // NUL bytes: after a record, a run of them alone, inside a string.
    Files.write(in.resolve("nul.jsonl"), utf8(sale("nul-1") + "\u0000\n\u0000\u0000\u0000\u0000\n"
        + sale("nul-3", "2025-03-03T10:00:00+01:00", "1", "2.5", ",\"note\":\"a\u0000b\"") + "\n"));
    expected.put("nul.jsonl:1", "malformed_record");
    expected.put("nul.jsonl:2", "malformed_record");
    expected.put("nul.jsonl:3", "malformed_record");
    // Invalid UTF-8: a Latin-1 e-acute inside a string (decoded as U+FFFD, see docs), a stray byte outside one.
    Files.write(in.resolve("latin1.jsonl"), concat(
        utf8(sale("latin1-1", "2025-03-03T10:00:00+01:00", "1", "2.5", ",\"note\":\"caf")), new byte[] {(byte) 0xE9},
        utf8("\"}\n{\"schema_version\":1,"), new byte[] {(byte) 0xFF}, utf8("}\n")));
    expected.put("latin1.jsonl:1", "malformed_record");
    expected.put("latin1.jsonl:2", "malformed_record");
    // Form feed and em space are whitespace to Java, not to JSON: records. Spaces and tabs only: no record.
    Files.write(in.resolve("whitespace.jsonl"), utf8("\f\n \t \n\u2003\n" + sale("ws-4") + "\n"));
    expected.put("whitespace.jsonl:1", "malformed_record");
    expected.put("whitespace.jsonl:3", "malformed_record");
    expected.put("whitespace.jsonl:4", ACCEPTED);
    // A 10 MB line: a valid event with a 10 MB note.
    Files.write(in.resolve("long-line.jsonl"), utf8(longLine() + "\n"));
    expected.put("long-line.jsonl:1", ACCEPTED);
    // Nesting 10,000 levels deep: a bare array, then inside an extra field of a valid event.
    Files.write(in.resolve("deep.jsonl"), utf8("[".repeat(10_000) + "]".repeat(10_000) + "\n"
        + sale("deep-2", "2025-03-03T10:00:00+01:00", "1", "2.5", ",\"x\":" + "{\"a\":".repeat(10_000) + "1"
        + "}".repeat(10_000)) + "\n"));
    expected.put("deep.jsonl:1", "malformed_record");
    expected.put("deep.jsonl:2", "malformed_record");
    // Numbers.
    Files.write(in.resolve("numbers.jsonl"), utf8(String.join("\n",
        sale("num-1", "2025-03-03T10:00:00+01:00", "1e400", "2.5", ""),
        sale("num-2", "2025-03-03T10:00:00+01:00", "1", "NaN", ""),
        sale("num-3", "2025-03-03T10:00:00+01:00", "-0", "2.5", ""),
        sale("num-4", "2025-03-03T10:00:00+01:00", "1", "-0", ""),
        sale("num-5", "2025-03-03T10:00:00+01:00", "007", "2.5", ""),
        sale("num-6", "2025-03-03T10:00:00+01:00", "1", "1e-400", ""),
        sale("num-7", "2025-03-03T10:00:00+01:00", "1", "1" + "0".repeat(1000), ""),
        sale("num-8", "2025-03-03T10:00:00+01:00", "1", "Infinity", "")) + "\n"));
    expected.put("numbers.jsonl:1", "schema_violation");
    expected.put("numbers.jsonl:2", "malformed_record");
    expected.put("numbers.jsonl:3", "non_positive_quantity");
    expected.put("numbers.jsonl:4", ACCEPTED);
    expected.put("numbers.jsonl:5", "malformed_record");
    expected.put("numbers.jsonl:6", "schema_violation");
    expected.put("numbers.jsonl:7", "malformed_record");
    expected.put("numbers.jsonl:8", "malformed_record");
    // Duplicate keys, at the top and inside an item; trailing data after the object; not an object.
    Files.write(in.resolve("structure.jsonl"), utf8(String.join("\n",
        sale("dup-1", "2025-03-03T10:00:00+01:00", "1", "2.5", ",\"event_id\":\"dup-1b\""),
        sale("dup-2", "2025-03-03T10:00:00+01:00", "1,\"quantity\":2", "2.5", ""),
        sale("trail-3") + " {}",
        "[" + sale("array-4") + "]") + "\n"));
    expected.put("structure.jsonl:1", "malformed_record");
    expected.put("structure.jsonl:2", "malformed_record");
    expected.put("structure.jsonl:3", "malformed_record");
    expected.put("structure.jsonl:4", "malformed_record");
    // Event times.
    Files.write(in.resolve("times.jsonl"), utf8(String.join("\n",
        sale("t-1", "2025-03-04T01:00:00+14:00", "1", "2.5", ""),
        sale("t-2", "2025-03-03T20:00:00-12:00", "1", "2.5", ""),
        sale("t-3", "2025-03-03t10:00:00z", "1", "2.5", ""),
        sale("t-4", "2025-03-03T10:00:00", "1", "2.5", ""),
        sale("t-5", "2016-12-31T23:59:60Z", "1", "2.5", ""),
        sale("t-6", "2025-03-03T10:00:00+18:01", "1", "2.5", "")) + "\n"));
    expected.put("times.jsonl:1", ACCEPTED);
    expected.put("times.jsonl:2", ACCEPTED);
    expected.put("times.jsonl:3", ACCEPTED);
    expected.put("times.jsonl:4", "invalid_timestamp");
    expected.put("times.jsonl:5", "invalid_timestamp");
    expected.put("times.jsonl:6", "invalid_timestamp");
    // An empty file; an empty directory; a directory with an event file name holding an event file.
    Files.createFile(in.resolve("empty.jsonl"));
    Files.createDirectories(in.resolve("empty-dir"));
    Files.createDirectories(in.resolve("nested.jsonl"));
    Files.write(in.resolve("nested.jsonl/inner.jsonl"), utf8(sale("nested") + "\n"));
    expected.put("nested.jsonl/inner.jsonl:1", ACCEPTED);
    // A gzip cut off after its first two lines.
    int[] flushed = new int[1];
    byte[] gzip = gzipCutAfterTwoLines(flushed);
    Files.write(in.resolve("truncated.jsonl.gz"), Arrays.copyOf(gzip, flushed[0]));
    expected.put("truncated.jsonl.gz:1", ACCEPTED);
    expected.put("truncated.jsonl.gz:2", ACCEPTED);
    expected.put("truncated.jsonl.gz:3", "malformed_record");
    // A binary file under an event file name: PNG, JPEG and ELF magic bytes. Lines end at 0A and 0D.
    Files.write(in.resolve("binary.jsonl"), binary());
    for (int line = 1; line <= 5; line++) {
      expected.put("binary.jsonl:" + line, "malformed_record");
    }
    // A symbolic link to an event file outside the folder.
    Files.createDirectories(outside);
    Files.write(outside.resolve("target.jsonl"), utf8(sale("linked") + "\n"));
    Files.createSymbolicLink(in.resolve("link.jsonl"), outside.resolve("target.jsonl"));
    expected.put("link.jsonl:1", ACCEPTED);
    // Reference-data cases: a product whose name spans lines, a store whose time zone is unknown.
    Files.write(in.resolve("dims-cases.jsonl"), utf8(sale("quoted-product", "2025-03-03T10:00:00+01:00", "1",
        "2.5", "").replace("SKU-1", "SKU-Q") + "\n" + sale("mars").replace("NL-AMS-01", "XX-MARS-01") + "\n"));
    expected.put("dims-cases.jsonl:1", ACCEPTED);
    expected.put("dims-cases.jsonl:2", "unknown_store");
    return expected;
  }

  static String longLine() {
    return sale("long", "2025-03-03T10:00:00+01:00", "1", "2.5", ",\"note\":\"" + "x".repeat(10 << 20) + "\"");
  }

  static byte[] gzipCutAfterTwoLines(int[] flushed) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes, true)) {
      out.write(utf8(sale("gz-1") + "\n" + sale("gz-2") + "\n"));
      out.flush();
      flushed[0] = bytes.size();
      out.write(utf8(sale("gz-3") + "\n"));
    }
    return bytes.toByteArray();
  }

  static byte[] binary() {
    return HexFormat.of().parseHex("89504e470d0a1a0a" + "0000000d49484452" + "ffd8ffe000104a464946" + "0a"
        + "7f454c46020101");
  }

  /** products.csv with a byte order mark, CRLF line ends and a quoted name spanning two lines. */
  static void writeDims(Path dims) throws IOException {
    Files.createDirectories(dims);
    Files.write(dims.resolve("products.csv"), utf8("\uFEFFsku,name,category,brand,unit_cost\r\n"
        + "SKU-1,Apples,grocery,Farm,1.10\r\n"
        + "SKU-Q,\"Socks\r\nwool, \"\"warm\"\"\",apparel,Knit,2.00\r\n"));
    Files.write(dims.resolve("stores.csv"), utf8("store_id,name,city,country,region,timezone\n"
        + "NL-AMS-01,Amsterdam,Amsterdam,NL,EMEA,Europe/Amsterdam\n"
        + "XX-MARS-01,Olympus,Olympus,XX,MARS,Mars/Olympus\n"));
    Files.write(dims.resolve("fx_rates.csv"), utf8("date,currency,rate_to_reporting\n2025-03-03,USD,0.9\n"));
  }

  /** SHA-256 and modification time of every file under the roots (links are followed, not listed twice). */
  static Map<String, String> fingerprints(Path... roots) throws IOException, NoSuchAlgorithmException {
    Map<String, String> out = new TreeMap<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
          out.put(f.toString(), HexFormat.of().formatHex(digest) + " " + Files.getLastModifiedTime(f).toMillis());
        }
      }
    }
    return out;
  }

  private String rel(Path in, String sourceFile) {
    String prefix = "file:" + in + "/";
    assertTrue(sourceFile.startsWith(prefix), sourceFile);
    return sourceFile.substring(prefix.length());
  }

  private Map<String, String> outcomes(Lake lake, Path in) {
    Map<String, String> got = new TreeMap<>();
    for (Row r : lake.read(Table.SILVER_SALES_LINES).select("source_file", "source_line").collectAsList()) {
      got.put(rel(in, r.getString(0)) + ":" + r.getLong(1), ACCEPTED);
    }
    for (Row r : lake.read(Table.SILVER_QUARANTINE).selectExpr("source_file", "source_line",
        "array_join(array_sort(rule_ids), ',')").collectAsList()) {
      assertEquals(null, got.put(rel(in, r.getString(0)) + ":" + r.getLong(1), r.getString(2)));
    }
    return got;
  }

  private String quarantineReason(Lake lake, Path in, String fileLine) {
    String[] p = fileLine.split(":");
    return lake.read(Table.SILVER_QUARANTINE).filter("source_file = 'file:" + in + "/" + p[0]
        + "' AND source_line = " + p[1]).select("reason").head().getString(0);
  }

  @Test
  void everyHostileRecordHasItsExactOutcomeNothingIsLostAndTheInputsAreUntouched(@TempDir Path dir)
      throws Exception {
    Path in = dir.resolve("in");
    Path dims = dir.resolve("dims");
    Map<String, String> expected = writeHostileInputs(in, dir.resolve("outside"));
    writeDims(dims);
    Map<String, String> before = fingerprints(in, dir.resolve("outside"), dims);

    String lakeDir = dir.resolve("lake").toString();
    assertEquals(0, BatchEndToEndTest.run("batch", "--input", in.toString(), "--dims", dims.toString(), "--lake",
        lakeDir));

    Lake lake = new Lake(spark, lakeDir);
    assertEquals(new TreeMap<>(expected), outcomes(lake, in));
    long accepted = expected.values().stream().filter(ACCEPTED::equals).count();
    Row run = lake.read(Table.OPS_RUNS).head();
    BatchEndToEndTest.assertCounts(run, expected.size(), accepted, expected.size() - accepted, 0);
    assertEquals(true, run.getAs("reconciled"));
    assertEquals(0L, (long) run.getAs("dropped"));
    // Nothing lost: bronze holds every record the files hold, once.
    assertEquals(expected.size(), lake.read(Table.BRONZE_SALES_EVENTS).count());
    assertEquals(new TreeMap<>(expected).keySet(), new TreeMap<>(lake.read(Table.BRONZE_SALES_EVENTS)
        .select("source_file", "source_line").collectAsList().stream()
        .collect(java.util.stream.Collectors.toMap(r -> rel(in, r.getString(0)) + ":" + r.getLong(1), r -> "")))
        .keySet());
    assertEquals(before, fingerprints(in, dir.resolve("outside"), dims), "the inputs are left untouched");

    // The 10 MB record reaches bronze whole (it has no personal data to mask).
    assertEquals(longLine(), lake.read(Table.BRONZE_SALES_EVENTS).filter("event_id = 'long'").select("raw_record")
        .head().getString(0));
    // The offset decides the instant, the store's zone the business date.
    assertEquals(List.of("[bom,2025-03-03]", "[t-1,2025-03-03]", "[t-2,2025-03-04]", "[t-3,2025-03-03]"),
        lake.read(Table.SILVER_SALES_LINES).filter("event_id IN ('bom', 't-1', 't-2', 't-3')")
            .selectExpr("event_id", "cast(business_date AS string)").orderBy("event_id").collectAsList().stream()
            .map(Row::toString).toList());
    assertEquals("apparel", lake.read(Table.SILVER_SALES_LINES).filter("event_id = 'quoted-product'")
        .select("category").head().getString(0));

    // The damage of the truncated gzip is a record at the line where reading stopped.
    assertEquals("malformed_record: cannot read the input from this line on: EOFException: Unexpected end of input"
        + " stream", quarantineReason(lake, in, "truncated.jsonl.gz:3"));
    assertEquals(RawLines.READ_ERROR + "EOFException: Unexpected end of input stream", lake.read(
        Table.SILVER_QUARANTINE).filter("source_line = 3 AND source_file LIKE '%truncated.jsonl.gz'")
        .select("raw_record").head().getString(0));
    assertEquals("malformed_record: invalid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000,"
        + " from `StreamReadConstraints.getMaxNestingDepth()`)", quarantineReason(lake, in, "deep.jsonl:2"));
    assertEquals("schema_violation: items[1].quantity 1E+400 is out of range (|quantity| < 10^6)",
        quarantineReason(lake, in, "numbers.jsonl:1"));
    assertEquals("non_positive_quantity: quantity <= 0 for SKU-1 (0)", quarantineReason(lake, in,
        "numbers.jsonl:3"));
    assertEquals("malformed_record: invalid JSON at column 198: Invalid numeric value: Leading zeroes not allowed",
        quarantineReason(lake, in, "numbers.jsonl:5"));
    assertEquals("malformed_record: invalid JSON at column 228: Duplicate field 'event_id'", quarantineReason(lake, in,
        "structure.jsonl:1"));
    assertEquals("invalid_timestamp: event_time '2016-12-31T23:59:60Z' is not ISO-8601 with an offset (leap seconds are not"
        + " accepted)",
        quarantineReason(lake, in, "times.jsonl:5"));
    assertEquals("unknown_store: store_id 'XX-MARS-01' is not in stores.csv", quarantineReason(lake, in,
        "dims-cases.jsonl:2"));
    List<String> warnings = run.getList(run.fieldIndex("warning_messages"));
    assertTrue(warnings.contains("dimension_row_ignored: " + dims + "/stores.csv:3: timezone 'Mars/Olympus'"
        + " of store XX-MARS-01 is not an IANA time zone (e.g. Europe/Paris); its events will be unknown_store;"
        + " row ignored"), warnings.toString());
  }

  @Test
  void aBrokenSymlinkFailsFastNamingItAndWritesNothing(@TempDir Path dir) throws Exception {
    Path dims = dir.resolve("dims");
    writeDims(dims);
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.write(in.resolve("a.jsonl"), utf8(sale("a") + "\n"));
    Files.createSymbolicLink(in.resolve("broken.jsonl"), dir.resolve("gone.jsonl"));
    Map<String, String> before = fingerprints(in, dims);
    assertFailsFast(dir, in, dims, "configuration error: cannot read input file:" + in.resolve("broken.jsonl")
        + ": it cannot be opened (a broken symbolic link?)");
    assertEquals(before, fingerprints(in, dims));
  }

  @Test
  void anUnreadableFileFailsFastNamingItAndWritesNothing(@TempDir Path dir) throws Exception {
    Path dims = dir.resolve("dims");
    writeDims(dims);
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.write(in.resolve("a.jsonl"), utf8(sale("a") + "\n"));
    Path locked = in.resolve("locked.jsonl");
    Files.write(locked, utf8(sale("locked") + "\n"));
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    try {
      // Root reads a file of mode 000: then there is nothing unreadable to test.
      Assumptions.assumeFalse(Files.isReadable(locked), "running as root: a file of mode 000 is readable");
      String message = failFastMessage(dir, in, dims);
      assertTrue(message.startsWith("configuration error: cannot read input file:" + locked + ": "), message);
      assertTrue(message.contains("Permission denied"), message);
    } finally {
      Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private void assertFailsFast(Path dir, Path in, Path dims, String message) {
    assertEquals(message, failFastMessage(dir, in, dims));
  }

  /** Runs the batch command expecting exit 2 and no table written; returns what it printed on stderr but progress. */
  private String failFastMessage(Path dir, Path in, Path dims) {
    String lakeDir = dir.resolve("lake").toString();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"batch", "--input", in.toString(), "--dims", dims.toString(), "--lake",
        lakeDir}, BatchEndToEndTest.ENV, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(ExitCodes.USAGE_OR_CONFIG, code);
    for (Table t : Table.values()) {
      assertFalse(new Lake(spark, lakeDir).exists(t), t.qualifiedName() + " was written");
    }
    return err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("batch ["))
        .collect(java.util.stream.Collectors.joining("\n")).strip();
  }
}
