package io.tillstream.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.generate.GeneratorOptions;
import io.tillstream.generate.SyntheticData;
import io.tillstream.privacy.PiiTokenizer;
import io.tillstream.privacy.ReferencePiiTokenizer;
import io.tillstream.testing.HostileRecords;
import io.tillstream.testing.HostileRecords.Hostile;
import io.tillstream.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimized parser returns exactly the rows of the parser it replaced ({@link ReferenceEventParser}, a frozen
 * copy), column by column, for generated events with and without defects, for variants of them that leave the
 * contract's usual shape, for hostile records, and for records replayed from the lake (tokens kept).
 */
class EventParserEquivalenceTest {
  private static final int CLEAN_EVENTS = 2000;
  /** {@link #CLEAN_EVENTS} clean generated events, then generated events with defects, duplicates and late ones. */
  private static final List<String> GENERATED = new ArrayList<>();

  /** Variants of a clean event that stress the edges of the usual shape. */
  private static final List<UnaryOperator<String>> VARIANTS = List.of(
      s -> s.replace(",", " , ").replace(":", " : "),
      s -> s.replace("\"channel\":\"pos\"", "\"channel\":\"kiosk\""),
      s -> s.replace("\"quantity\":1,", "\"quantity\":1.0,"),
      s -> s.replace("\"quantity\":2,", "\"quantity\":2e0,"),
      s -> s.replace(".00}", ".0}").replace(".00,", "e2,"),
      s -> s.replace(".00}", "E-1}"),
      s -> s.replace("\"unit_price\":", "\"unit_price\":-"),
      s -> s.replace("\"unit_price\":", "\"discount\":0.5,\"unit_price\":"),
      s -> s.replace("\"unit_price\":", "\"discount\":\"0.5\",\"unit_price\":"),
      s -> s.replace("\"payment\":{", "\"payment\":{\"card_last4\":\"1234\","),
      s -> s.replace("\"method\":\"card\"", "\"method\":\"card\",\"card_last4\":\"9999\""),
      s -> s.replace("\"card_number\":\"", "\"card_number\":\"4111 1111 "),
      s -> s.replace("\"card_number\":\"", "\"card_number\":").replaceFirst("(\"card_number\":\\d+)\"", "$1"),
      s -> s.replace("\"customer\":{", "\"customer\":{\"name\":\"Ann\",\"tel\":31612345678,"),
      s -> s.replace("\"customer\":null", "\"customer\":\"C00001448\""),
      s -> s.replace("\"customer\":{", "\"customer\":{\"customer_id\":\"dup\","),
      s -> s.replace("\"event_type\":\"sale\"", "\"event_type\":\"sale call +31 6 1234 5678\""),
      s -> s.replace("\"event_type\":\"sale\"", "\"event_type\":\"ann@example.org\""),
      s -> s.replace("\"event_id\":\"", "\"event_id\":\"ann@example.org-"),
      s -> s.replace("\"sku\":\"", "\"sku\":\"x@example.org/"),
      s -> s.replace("\"store_id\":\"", "\"store_id\":\"1234567-"),
      s -> s.replace("+09:00\"", "+09:00 \"").replace("Z\"", " Z\""),
      s -> s.replace("T08:", "T08:60:").replace("T09:", "T09:60:"),
      s -> s.replace("\"event_time\":\"", "\"event_time\":\"2025-13-01 31612345678 "),
      s -> s.replace("\"currency\":\"", "\"currency\":\"X"),
      s -> s.replace("\"schema_version\":1", "\"schema_version\":1.0"),
      s -> s.replace("\"schema_version\":1", "\"schema_version\":2"),
      s -> s.replace("\"schema_version\":1,", ""),
      s -> s.replace("\"items\":[", "\"items\":[1,"),
      s -> s.replace("\"items\":[", "\"items\":[{},"),
      s -> s.replace("\"items\":[", "\"items\":{\"a\":[").replace("]}", "]}}"),
      s -> s.substring(0, s.length() - 1) + ",\"note\":\"call +31 6 1234 5678 or ann@example.org\"}",
      s -> s.substring(0, s.length() - 1) + ",\"meta\":\"{\\\"phone\\\":\\\"+31612345678\\\"}\"}",
      s -> s.substring(0, s.length() - 1) + ",\"3161234567\":true,\"ann@example.org\":null}",
      s -> s.substring(0, s.length() - 1) + ",\"E-Mail\":[\"a@b.org\"],\"tags\":[1,2.50,-0,0.0,1e3,31612345678]}",
      s -> s.substring(0, s.length() - 1) + ",\"event_id\":\"again\"}",
      s -> s.substring(0, s.length() - 1) + "} ",
      s -> s.substring(0, s.length() - 1) + ",\"big\":1e999999999,\"n\":123456789012345678901234567890}",
      s -> s.replace("\"e", "\"\\u0065").replace("\"p", "\"\\u0070"),
      s -> s.replace("-", "\\u002d"),
      s -> s.replace("JP-TOKYO", "東京").replace("sale", "s\\u00e4le\\n\\t\\\"\\\\"),
      s -> "\uFEFF" + s,
      s -> s.substring(0, s.length() / 2),
      s -> s.substring(0, s.indexOf("unit_price") + 14),
      s -> "[" + s + "]",
      s -> s.replaceFirst("\\{", "{\"{\":{},"));

  @BeforeAll
  static void generate(@TempDir Path dir) throws IOException {
    SyntheticData.generate(GeneratorOptions.of(dir.resolve("clean"), CLEAN_EVENTS, 3, 11));
    SyntheticData.generate(GeneratorOptions.of(dir.resolve("defects"), 3000, 3, 12).withRates(0.4, 0.1, 0.1));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        GENERATED.addAll(lines(Files.readAllBytes(file)));
      }
    }
    assertTrue(GENERATED.size() >= 5000, "generated " + GENERATED.size());
  }

  /** Lines as the readers decode them: invalid UTF-8 becomes U+FFFD. */
  private static List<String> lines(byte[] bytes) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i > start) {
          out.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return out;
  }

  private static List<String> variants() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < GENERATED.size(); i += 7) {
      String line = GENERATED.get(i);
      out.add(VARIANTS.get(i % VARIANTS.size()).apply(line));
      out.add(VARIANTS.get((i / 7) % VARIANTS.size()).apply(line));
    }
    for (UnaryOperator<String> variant : VARIANTS) {
      out.add(variant.apply(GENERATED.get(0)));
    }
    return out;
  }

  private static List<String> hostile() {
    return new HostileRecords(20250301L).next(3000).stream().map(Hostile::text).toList();
  }

  @Test
  void generatedEventsGiveTheSameRows() {
    assertSameRows(GENERATED, false);
  }

  @Test
  void cleanGeneratedEventsTakeTheFastPath() {
    EventParser parser = new EventParser(new PiiTokenizer(TestData.KEY));
    List<String> clean = GENERATED.subList(0, CLEAN_EVENTS);
    assertEquals(List.of(), clean.stream().filter(line -> !parser.takesFastPath(line)).limit(3).toList());
    assertTrue(variants().stream().filter(parser::takesFastPath).count() > 100, "some variants stay usual");
  }

  @Test
  void eventTimesAreReadAsTheFormatterReadsThem() {
    for (String t : List.of("2025-03-01T10:00:00Z", "2025-03-01T10:00:00+01:00", "2025-03-01T10:00:00-03:30",
        "2024-02-29T23:59:59+14:00", "2025-02-29T10:00:00Z", "2025-04-31T10:00:00Z", "2025-03-01T24:00:00Z",
        "2025-03-01T10:60:00Z", "2025-03-01T10:00:60Z", "2025-03-01T10:00:00+18:00", "2025-03-01T10:00:00+18:01",
        "2025-03-01T10:00:00-18:00", "2025-03-01T10:00:00+01:60", "2025-03-01T10:00:00-00:00", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59-01:00", " 2025-03-01T10:00:00Z ", "2025-03-01t10:00:00z", "2025-03-01T10:00:00.5Z",
        "2025-03-01T10:00Z", "2025-03-01 10:00:00Z", "2025-03-01T10:00:00+0100", "2025-03-01T10:00:00+01", "+2025-03-01T10:00:00Z",
        "2025-3-01T10:00:00Z", "2025-03-01T10:00:00*01:00", "2025-03-01T10:00:00+01:00:00", "2025-03-0１T10:00:00Z")) {
      assertEquals(ReferenceEventParser.eventTime(t), EventParser.eventTime(t), t);
    }
  }

  @Test
  void variantsOfGeneratedEventsGiveTheSameRows() {
    assertSameRows(variants(), false);
  }

  @Test
  void hostileRecordsGiveTheSameRows() {
    assertSameRows(hostile(), false);
  }

  @Test
  void replayedRecordsGiveTheSameRows() {
    List<String> inputs = new ArrayList<>(GENERATED.subList(0, 2000));
    inputs.addAll(variants());
    inputs.addAll(hostile());
    assertSameRows(inputs, true);
    // What a replay reads back is the redacted raw_record written before, tokens and all.
    EventParser firstPass = new EventParser(new PiiTokenizer(TestData.KEY));
    List<String> written = new ArrayList<>();
    for (String value : inputs) {
      written.add(firstPass.parse("f", 1, value).getAs("raw_record"));
    }
    assertSameRows(written, true);
  }

  private static void assertSameRows(List<String> values, boolean replay) {
    ReferenceEventParser reference = new ReferenceEventParser(new ReferencePiiTokenizer(TestData.KEY, replay));
    EventParser parser = new EventParser(new PiiTokenizer(TestData.KEY, replay));
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      String expected = describe(reference.parse("in.jsonl", i, value));
      String actual = describe(parser.parse("in.jsonl", i, value));
      assertEquals(expected, actual, "record " + i + (replay ? " (replay)" : "") + ": " + value);
    }
  }

  /** Every value with its class, nested rows and arrays included: equal text means equal rows. */
  private static String describe(Object v) {
    if (v instanceof Row row) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        fields.add(describe(row.get(i)));
      }
      return "Row" + fields;
    }
    if (v instanceof Object[] array) {
      return Arrays.stream(array).map(EventParserEquivalenceTest::describe).toList().toString();
    }
    return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
  }
}
