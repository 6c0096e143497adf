package io.tillstream.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDataTest {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final LocalDate START = LocalDate.of(2025, 3, 1); // US DST switch on 2025-03-09 is inside the range
  private static final int DAYS = 10;
  private static final Pattern AMOUNT = Pattern.compile("\"(unit_price|discount)\":([^,}\\]]*)");
  private static final Pattern TWO_DECIMALS = Pattern.compile("\\d+\\.\\d{2}");
  private static final Pattern EMAIL = Pattern.compile("[a-z]+\\.[a-z]+\\d+@example\\.com");
  private static final Pattern CARD = Pattern.compile("\\d{16}");

  @TempDir
  static Path tmp;

  static GeneratorOptions options;
  static GeneratorReport report;
  static Recount recount;

  @BeforeAll
  static void generateOnce() throws IOException {
    options = new GeneratorOptions(tmp.resolve("main"), 8_000, DAYS, 7L, 0.05, 0.05, 0.03, START, 1_500);
    report = SyntheticData.generate(options);
    recount = Recount.of(options.out(), START, DAYS);
  }

  // ------------------------------------------------------------------ determinism

  @Test
  void sameOptionsGiveByteIdenticalFilesAndOtherSeedsDiffer() throws IOException {
    GeneratorOptions o = new GeneratorOptions(tmp.resolve("a"), 3_000, 3, 99L, 0.1, 0.1, 0.05, START, 700);
    GeneratorReport ra = SyntheticData.generate(o);
    GeneratorReport rb = SyntheticData.generate(o.withOut(tmp.resolve("b")));
    Map<String, byte[]> a = allFiles(tmp.resolve("a"));
    Map<String, byte[]> b = allFiles(tmp.resolve("b"));
    assertEquals(a.keySet(), b.keySet());
    assertTrue(a.containsKey("manifest.json") && a.containsKey("dims/products.csv") && a.containsKey("events/events-00004.jsonl"));
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), k);
    }
    assertEquals(ra.defectsByRule(), rb.defectsByRule());
    assertEquals(ra.validEvents(), rb.validEvents());

    // re-running into the same directory with fewer files removes stale event files
    SyntheticData.generate(o.withEventsPerFile(3_000));
    assertEquals(1, allFiles(tmp.resolve("a")).keySet().stream().filter(k -> k.startsWith("events/")).count());

    SyntheticData.generate(new GeneratorOptions(tmp.resolve("c"), 3_000, 3, 100L, 0.1, 0.1, 0.05, START, 700));
    assertFalse(java.util.Arrays.equals(b.get("events/events-00000.jsonl"),
        Files.readAllBytes(tmp.resolve("c/events/events-00000.jsonl"))));
    // reference data does not depend on the seed
    assertArrayEquals(b.get("dims/products.csv"), Files.readAllBytes(tmp.resolve("c/dims/products.csv")));
  }

  // ------------------------------------------------------------------ line accounting and recount

  @Test
  void lineAccountingIsExact() {
    long n = options.events();
    long bad = Math.round(n * options.badRate());
    long dup = Math.round(n * options.dupRate());
    assertEquals(n, report.linesWritten());
    assertEquals(bad, report.defectiveLines());
    assertEquals(dup, report.exactDuplicates() + report.conflictingDuplicates());
    assertEquals((dup + 9) / 10, report.conflictingDuplicates());
    assertEquals(n - bad - dup, report.validEvents());
    assertEquals(Math.round(report.validEvents() * options.lateRate()), report.lateEvents());
    assertEquals(SyntheticData.defectRuleIds(), List.copyOf(report.defectsByRule().keySet()));
  }

  @Test
  void filesAreSplitAtEventsPerFile() throws IOException {
    assertEquals(6, report.files().size()); // ceil(8000 / 1500)
    for (int i = 0; i < report.files().size(); i++) {
      Path f = report.files().get(i);
      assertEquals(String.format("events-%05d.jsonl", i), f.getFileName().toString());
      byte[] bytes = Files.readAllBytes(f);
      long lines = 0;
      for (byte x : bytes) {
        lines += x == '\n' ? 1 : 0;
        assertNotEquals((byte) '\r', x);
      }
      assertEquals('\n', bytes[bytes.length - 1]);
      assertEquals(i < 5 ? 1_500 : 500, lines);
    }
  }

  @Test
  void reportEqualsIndependentRecountOfTheFiles() {
    assertEquals(report.linesWritten(), recount.lines);
    assertEquals(report.validEvents(), recount.valid);
    assertEquals(report.exactDuplicates(), recount.exactDup);
    assertEquals(report.conflictingDuplicates(), recount.conflictDup);
    assertEquals(report.defectsByRule(), recount.defects);
    assertEquals(report.unknownSkuLines(), recount.unknownSku);
    assertEquals(report.lateEvents(), recount.late);
    assertTrue(report.unknownSkuLines() > 0);
    // ~1 % of item lines
    double share = recount.unknownSku / (double) recount.itemLines;
    assertTrue(share > 0.003 && share < 0.02, "unknown sku share " + share);
  }

  @Test
  void manifestMirrorsTheReport() throws IOException {
    JsonNode m = MAPPER.readTree(options.out().resolve("manifest.json").toFile());
    assertEquals(report.linesWritten(), m.at("/report/lines_written").asLong());
    assertEquals(report.validEvents(), m.at("/report/valid_events").asLong());
    assertEquals(report.lateEvents(), m.at("/report/late_events").asLong());
    assertEquals(report.defectsByRule().get("empty_items"), m.at("/report/defects_by_rule/empty_items").asLong());
    assertEquals("events/events-00000.jsonl", m.at("/report/files/0").asText());
    assertEquals(8_000, m.at("/options/events").asLong());
    assertEquals(recount.refunds, m.at("/extra/refunds").asLong());
    assertEquals("JPY", m.at("/store_currency/JP-TOKYO-01").asText());
  }

  // ------------------------------------------------------------------ defects

  @Test
  void everyRuleIsPresentEvenWithATinyBadRate() throws IOException {
    GeneratorOptions o = new GeneratorOptions(tmp.resolve("tiny"), 200, 2, 3L, 0.001, 0.0, 0.0, START, 250_000);
    GeneratorReport r = SyntheticData.generate(o);
    assertEquals(12, r.defectiveLines());
    r.defectsByRule().forEach((rule, count) -> assertEquals(1L, count, rule));
    Recount rc = Recount.of(o.out(), START, 2);
    assertEquals(r.defectsByRule(), rc.defects);
    assertEquals(188, rc.valid);
  }

  @Test
  void defectiveLinesCarryPiiAndUniqueIds() {
    assertFalse(recount.badLines.isEmpty());
    Set<String> ids = new HashSet<>();
    for (String line : recount.badLines) {
      assertTrue(EMAIL.matcher(line).find(), line);
      assertTrue(CARD.matcher(line).find(), line);
      assertTrue(line.contains("+"), line); // phone
      Matcher id = Pattern.compile("\"?e-(\\d{9})").matcher(line);
      if (id.find()) {
        assertTrue(ids.add(id.group(1)), "duplicate id in defective line " + line);
        assertFalse(recount.validIds.contains("e-" + id.group(1)), line);
      }
    }
    // time defects are put on EUR stores, so that no fx lookup (a possible second finding) is involved
    for (int i = 0; i < recount.badLines.size(); i++) {
      String rule = recount.badRules.get(i);
      String line = recount.badLines.get(i);
      if (rule.equals("invalid_timestamp") || rule.equals("event_time_in_future")
          || (rule.equals("missing_required_field") && !line.contains("\"event_time\""))) {
        assertTrue(line.contains("\"currency\":\"EUR\""), line);
      }
    }
    // all malformed variants occur
    assertTrue(recount.badLines.stream().anyMatch(l -> l.startsWith("[")));
    assertTrue(recount.badLines.stream().anyMatch(l -> l.startsWith("\"")));
    assertTrue(recount.badLines.stream().anyMatch(l -> l.startsWith("{") && !l.endsWith("}")));
  }

  @Test
  void noRatesMeansOnlyValidOriginals() throws IOException {
    GeneratorOptions o = GeneratorOptions.of(tmp.resolve("clean"), 500, 2, 1L);
    GeneratorReport r = SyntheticData.generate(o);
    assertEquals(500, r.validEvents());
    assertEquals(0, r.defectiveLines() + r.exactDuplicates() + r.conflictingDuplicates() + r.lateEvents());
    assertEquals(12, r.defectsByRule().size());
    assertEquals(List.of(o.out().resolve("events/events-00000.jsonl")), r.files());
    assertEquals(500, Recount.of(o.out(), START, 2).valid);
  }

  @Test
  void offsetsFollowDaylightSavingTransitionsInAutumn() throws IOException {
    LocalDate start = LocalDate.of(2025, 10, 20); // EU leaves DST on Oct 26, US on Nov 2
    GeneratorOptions o = new GeneratorOptions(tmp.resolve("autumn"), 3_000, 16, 11L, 0.02, 0.02, 0.02, start, 1_000);
    GeneratorReport r = SyntheticData.generate(o);
    Recount rc = Recount.of(o.out(), start, 16);
    assertEquals(r.validEvents(), rc.valid);
    assertEquals(r.lateEvents(), rc.late);
    Set<String> offsets = new HashSet<>();
    for (Recount.Event e : rc.originals) {
      ZoneId zone = rc.storeZones.get(e.node.get("store_id").asText());
      assertEquals(zone.getRules().getOffset(e.time.toInstant()), e.time.getOffset(), e.line);
      assertTrue(e.time.getHour() >= 8 && e.time.getHour() <= 21, e.line);
      assertFalse(e.time.toLocalDate().isBefore(start) || e.time.toLocalDate().isAfter(start.plusDays(15)), e.line);
      offsets.add(e.node.get("store_id").asText() + e.time.getOffset());
    }
    assertTrue(offsets.containsAll(Set.of("FR-PARIS-01+02:00", "FR-PARIS-01+01:00", "US-NYC-01-04:00",
        "US-NYC-01-05:00", "GB-LONDON-01+01:00", "GB-LONDON-01Z", "JP-TOKYO-01+09:00")), offsets.toString());
  }

  @Test
  void invalidOptionsAreRejected() {
    Path p = tmp.resolve("x");
    assertThrows(IllegalArgumentException.class, () -> GeneratorOptions.of(p, 10, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> GeneratorOptions.of(p, 10, 1, 1).withRates(0.7, 0.4, 0));
    assertThrows(IllegalArgumentException.class, () -> GeneratorOptions.of(p, 10, 1, 1).withRates(-0.1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> GeneratorOptions.of(p, 10, 1, 1).withEventsPerFile(0));
    assertThrows(IllegalArgumentException.class,
        () -> SyntheticData.generate(GeneratorOptions.of(p, 100, 1, 1).withRates(0.5, 0.5, 0)));
  }

  // ------------------------------------------------------------------ event contract

  @Test
  void goodLinesFollowTheContract() {
    Map<String, String> storeCcy = SyntheticData.storeCurrencies();
    Map<String, ZoneId> zones = recount.storeZones;
    int present = 0;
    for (Recount.Event e : recount.originals) {
      JsonNode n = e.node;
      String store = n.get("store_id").asText();
      assertEquals(storeCcy.get(store), n.get("currency").asText(), e.line);
      OffsetDateTime t = e.time;
      assertEquals(zones.get(store).getRules().getOffset(t.toInstant()), t.getOffset(), e.line);
      assertTrue(n.get("event_time").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}"));
      LocalDate d = t.toLocalDate();
      assertFalse(d.isBefore(START) || d.isAfter(START.plusDays(DAYS - 1)), e.line);
      assertTrue(t.getHour() >= 8 && t.getHour() <= 21, e.line);
      assertTrue(Set.of("pos", "web", "mobile").contains(n.get("channel").asText()));
      JsonNode pay = n.get("payment");
      String method = pay.get("method").asText();
      assertTrue(Set.of("card", "cash", "wallet", "voucher").contains(method));
      if (method.equals("card")) {
        assertTrue(luhnValid(pay.get("card_number").asText()), e.line);
      } else {
        assertFalse(pay.has("card_number"), e.line);
      }
      JsonNode c = n.get("customer");
      if (c != null && !c.isNull()) {
        present++;
        assertTrue(c.get("customer_id").asText().matches("C\\d{8}"));
        assertTrue(c.has("email") && c.has("phone"));
      }
      JsonNode items = n.get("items");
      assertTrue(items.size() >= 1 && items.size() <= 5, e.line);
      for (JsonNode it : items) {
        int q = it.get("quantity").intValue();
        assertTrue(it.get("quantity").isIntegralNumber() && q >= 1 && q <= 5, e.line);
        BigDecimal price = it.get("unit_price").decimalValue();
        assertTrue(price.signum() > 0, e.line); // exactly two decimals: checked on the raw text below
        if (it.has("discount")) {
          BigDecimal disc = it.get("discount").decimalValue();
          assertTrue(disc.signum() >= 0 && disc.compareTo(price.multiply(BigDecimal.valueOf(q))) <= 0, e.line);
        }
      }
      Matcher m = AMOUNT.matcher(e.line);
      while (m.find()) {
        assertTrue(TWO_DECIMALS.matcher(m.group(2)).matches(), e.line);
      }
    }
    double share = present / (double) recount.originals.size();
    assertTrue(share > 0.7 && share < 0.9, "customer share " + share);
  }

  @Test
  void refundsReferenceAnEarlierSaleAtTheSameStore() {
    Map<String, Recount.Event> sales = new HashMap<>();
    int refunds = 0;
    for (Recount.Event e : recount.originals) {
      String type = e.node.get("event_type").asText();
      String order = e.node.get("order_id").asText();
      if (type.equals("sale")) {
        assertTrue(sales.putIfAbsent(order, e) == null, "order id reused by a sale: " + order);
        continue;
      }
      refunds++;
      Recount.Event sale = sales.get(order);
      assertNotNull(sale, e.line);
      assertEquals(sale.node.get("store_id"), e.node.get("store_id"));
      assertTrue(e.time.toInstant().isAfter(sale.time.toInstant()), e.line);
      Map<String, JsonNode> orig = new HashMap<>();
      sale.node.get("items").forEach(it -> orig.put(it.get("sku").asText(), it));
      for (JsonNode it : e.node.get("items")) {
        JsonNode o = orig.get(it.get("sku").asText());
        assertNotNull(o, e.line);
        assertTrue(it.get("quantity").intValue() <= o.get("quantity").intValue(), e.line);
        assertEquals(o.get("unit_price").decimalValue(), it.get("unit_price").decimalValue());
      }
    }
    assertEquals(recount.refunds, refunds);
    double share = refunds / (double) recount.originals.size();
    assertTrue(share > 0.03 && share < 0.07, "refund share " + share);
  }

  @Test
  void lateEventsAreOneToFiveDaysBehindButNotBeforeStart() {
    assertTrue(recount.late > 0);
    for (Recount.Event e : recount.lateEvents) {
      assertFalse(e.time.toLocalDate().isBefore(START), e.line);
      Duration lag = Duration.between(e.time.toInstant(), e.streamMax);
      assertTrue(lag.toHours() >= 20 && lag.toHours() <= 5 * 24 + 2, e.line + " lag " + lag);
    }
  }

  @Test
  void largeOrdersAndCardPatternsExist() {
    // a sale of >= 5000 EUR-equivalent
    boolean large = false;
    for (Recount.Event e : recount.originals) {
      if (e.node.get("event_type").asText().equals("sale")) {
        BigDecimal net = BigDecimal.ZERO;
        for (JsonNode it : e.node.get("items")) {
          net = net.add(it.get("unit_price").decimalValue().multiply(BigDecimal.valueOf(it.get("quantity").intValue())));
          if (it.has("discount")) {
            net = net.subtract(it.get("discount").decimalValue());
          }
        }
        BigDecimal eur = net.multiply(recount.rate(e.node.get("currency").asText(), e.time.toLocalDate()));
        large |= eur.compareTo(BigDecimal.valueOf(5_000)) >= 0;
      }
    }
    assertTrue(large, "no sale >= 5000 EUR");

    Map<String, List<Recount.Event>> byCard = recount.originals.stream()
        .filter(e -> e.node.get("event_type").asText().equals("sale") && e.node.at("/payment/card_number").isTextual())
        .collect(Collectors.groupingBy(e -> e.node.at("/payment/card_number").asText()));
    boolean burst = false, multiStore = false;
    for (List<Recount.Event> uses : byCard.values()) {
      uses.sort((x, y) -> x.time.toInstant().compareTo(y.time.toInstant()));
      for (int i = 0; i < uses.size(); i++) {
        Instant from = uses.get(i).time.toInstant();
        int within10 = 0;
        Set<String> storesIn60 = new HashSet<>();
        for (int j = i; j < uses.size(); j++) {
          Duration d = Duration.between(from, uses.get(j).time.toInstant());
          within10 += d.toSeconds() <= 600 ? 1 : 0;
          if (d.toSeconds() <= 3600) {
            storesIn60.add(uses.get(j).node.get("store_id").asText());
          }
        }
        burst |= within10 >= 5;
        multiStore |= storesIn60.size() >= 3;
      }
    }
    assertTrue(burst, "no burst of 5 card sales within 10 minutes");
    assertTrue(multiStore, "no card at 3 stores within 60 minutes");
  }

  // ------------------------------------------------------------------ reference data

  @Test
  void referenceDataFiles() throws IOException {
    Path dims = options.out().resolve("dims");
    List<List<String>> stores = readCsv(dims.resolve("stores.csv"));
    assertEquals(List.of("store_id", "name", "city", "country", "region", "timezone"), stores.get(0));
    assertEquals(8, stores.size() - 1);
    assertTrue(stores.stream().skip(1).map(r -> r.get(5)).distinct().count() >= 4);
    assertTrue(new HashSet<>(SyntheticData.storeCurrencies().values()).size() >= 4);
    assertEquals(SyntheticData.storeCurrencies().keySet(),
        stores.stream().skip(1).map(r -> r.get(0)).collect(Collectors.toSet()));
    stores.stream().skip(1).forEach(r -> assertTrue(Set.of("EMEA", "AMER", "APAC").contains(r.get(4))));

    List<List<String>> products = readCsv(dims.resolve("products.csv"));
    assertEquals(List.of("sku", "name", "category", "brand", "unit_cost"), products.get(0));
    List<List<String>> rows = products.subList(1, products.size());
    assertEquals(201, rows.size());
    Set<String> skus = rows.stream().map(r -> r.get(0)).collect(Collectors.toSet());
    assertEquals(200, skus.size());
    List<String> last = rows.get(200);
    List<String> first = rows.stream().filter(r -> r.get(0).equals(last.get(0))).findFirst().orElseThrow();
    assertNotEquals(first.get(2), last.get(2)); // different category: last row wins
    assertTrue(rows.stream().map(r -> r.get(2)).distinct().count() >= 8);
    long emptyCost = rows.stream().filter(r -> r.get(4).isEmpty()).count();
    assertTrue(emptyCost >= 10 && emptyCost <= 30, "empty unit_cost " + emptyCost);
    assertTrue(rows.stream().anyMatch(r -> r.get(1).contains(",")));
    assertTrue(Files.readString(dims.resolve("products.csv")).contains(" Socks, wool\","));

    List<List<String>> fx = readCsv(dims.resolve("fx_rates.csv"));
    assertEquals(List.of("date", "currency", "rate_to_reporting"), fx.get(0));
    Set<String> ccys = new HashSet<>();
    LocalDate min = LocalDate.MAX, max = LocalDate.MIN;
    for (List<String> r : fx.subList(1, fx.size())) {
      LocalDate d = LocalDate.parse(r.get(0));
      assertFalse(d.getDayOfWeek().getValue() >= 6, "weekend row " + r);
      ccys.add(r.get(1));
      assertTrue(r.get(2).matches("\\d+\\.\\d{1,6}"), r.toString());
      min = d.isBefore(min) ? d : min;
      max = d.isAfter(max) ? d : max;
    }
    assertEquals(Set.of("GBP", "USD", "JPY"), ccys);
    assertFalse(min.isBefore(START.minusDays(3)));
    assertFalse(max.isAfter(START.plusDays(DAYS + 1)));
    // every valid non-EUR event finds a rate on or before its local and its UTC date
    for (Recount.Event e : recount.originals) {
      String c = e.node.get("currency").asText();
      if (!c.equals("EUR")) {
        assertNotNull(recount.rate(c, e.time.toLocalDate()), e.line);
        assertNotNull(recount.rate(c, e.time.toInstant().atOffset(java.time.ZoneOffset.UTC).toLocalDate()), e.line);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  static boolean luhnValid(String digits) {
    if (!CARD.matcher(digits).matches()) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        d *= 2;
        d = d > 9 ? d - 9 : d;
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  static Map<String, byte[]> allFiles(Path root) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        m.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return m;
  }

  /** The generated CSV, header included, read with univocity as the pipeline reads reference files. */
  static List<List<String>> readCsv(Path p) throws IOException {
    try (var r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      return new com.univocity.parsers.csv.CsvParser(new com.univocity.parsers.csv.CsvParserSettings())
          .parseAll(r).stream().map(row -> java.util.Arrays.stream(row).map(v -> v == null ? "" : v).toList())
          .toList();
    }
  }

  /** An independent re-classification of every line, the way a pipeline would do it. */
  static final class Recount {
    static final class Event {
      final String line;
      final JsonNode node;
      final OffsetDateTime time;
      Instant streamMax;

      Event(String line, JsonNode node, OffsetDateTime time) {
        this.line = line;
        this.node = node;
        this.time = time;
      }
    }

    long lines, valid, exactDup, conflictDup, unknownSku, late, itemLines, refunds;
    final Map<String, Long> defects = new LinkedHashMap<>();
    final List<Event> originals = new ArrayList<>();
    final List<Event> lateEvents = new ArrayList<>();
    final List<String> badLines = new ArrayList<>();
    final List<String> badRules = new ArrayList<>();
    final Set<String> validIds = new HashSet<>();
    final Map<String, ZoneId> storeZones = new HashMap<>();
    final Map<String, TreeMap<LocalDate, BigDecimal>> fx = new HashMap<>();
    Set<String> skus;

    BigDecimal rate(String currency, LocalDate d) {
      if (currency.equals("EUR")) {
        return BigDecimal.ONE;
      }
      Map.Entry<LocalDate, BigDecimal> e = fx.getOrDefault(currency, new TreeMap<>()).floorEntry(d);
      return e == null ? null : e.getValue();
    }

    static Recount of(Path out, LocalDate start, int days) throws IOException {
      Recount r = new Recount();
      for (String id : SyntheticData.defectRuleIds()) {
        r.defects.put(id, 0L);
      }
      readCsv(out.resolve("dims/stores.csv")).stream().skip(1)
          .forEach(row -> r.storeZones.put(row.get(0), ZoneId.of(row.get(5))));
      r.skus = readCsv(out.resolve("dims/products.csv")).stream().skip(1).map(row -> row.get(0))
          .collect(Collectors.toSet());
      readCsv(out.resolve("dims/fx_rates.csv")).stream().skip(1).forEach(row -> r.fx
          .computeIfAbsent(row.get(1), k -> new TreeMap<>()).put(LocalDate.parse(row.get(0)), new BigDecimal(row.get(2))));
      Map<String, String> firstLine = new HashMap<>();
      Instant max = Instant.MIN;
      List<Path> files;
      try (Stream<Path> s = Files.list(out.resolve("events"))) {
        files = s.sorted().collect(Collectors.toList());
      }
      for (Path f : files) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          r.lines++;
          List<String> found = r.classify(line);
          assertTrue(found.size() <= 1, "more than one defect " + found + " in " + line);
          if (found.size() == 1) {
            r.defects.merge(found.get(0), 1L, Long::sum);
            r.badLines.add(line);
            r.badRules.add(found.get(0));
            continue;
          }
          JsonNode n = parse(line);
          String id = n.get("event_id").asText();
          String prev = firstLine.putIfAbsent(id, line);
          if (prev != null) {
            if (prev.equals(line)) {
              r.exactDup++;
            } else {
              r.conflictDup++;
            }
            continue;
          }
          r.valid++;
          r.validIds.add(id);
          Event e = new Event(line, n, OffsetDateTime.parse(n.get("event_time").asText()));
          r.originals.add(e);
          r.refunds += n.get("event_type").asText().equals("refund") ? 1 : 0;
          for (JsonNode it : n.get("items")) {
            r.itemLines++;
            r.unknownSku += r.skus.contains(it.get("sku").asText()) ? 0 : 1;
          }
          Instant t = e.time.toInstant();
          if (max != Instant.MIN && t.isBefore(max.minus(Duration.ofHours(20)))) {
            r.late++;
            e.streamMax = max;
            r.lateEvents.add(e);
          } else if (t.isAfter(max)) {
            max = t;
          }
        }
      }
      return r;
    }

    private static JsonNode parse(String line) {
      try {
        return MAPPER.readTree(line);
      } catch (IOException e) {
        return null;
      }
    }

    List<String> classify(String line) {
      List<String> found = new ArrayList<>();
      JsonNode n = parse(line);
      if (n == null || !n.isObject()) {
        found.add("malformed_record");
        return found;
      }
      for (String f : List.of("event_id", "event_type", "event_time", "order_id", "store_id", "currency", "items")) {
        if (!n.hasNonNull(f)) {
          found.add("missing_required_field");
        }
      }
      boolean schema = false;
      for (String f : List.of("event_id", "event_type", "event_time", "order_id", "store_id", "currency")) {
        schema |= n.hasNonNull(f) && !n.get(f).isTextual();
      }
      JsonNode items = n.get("items");
      boolean itemsOk = items != null && items.isArray();
      schema |= items != null && !items.isNull() && !items.isArray();
      if (itemsOk) {
        for (JsonNode it : items) {
          schema |= !it.isObject() || !it.path("sku").isTextual() || !it.path("quantity").isIntegralNumber()
              || !it.path("unit_price").isNumber() || (it.has("discount") && !it.get("discount").isNumber());
        }
      }
      if (schema) {
        found.add("schema_violation");
        itemsOk = false;
      }
      if (n.path("event_type").isTextual() && !Set.of("sale", "refund").contains(n.get("event_type").asText())) {
        found.add("invalid_event_type");
      }
      if (n.path("event_time").isTextual()) {
        try {
          OffsetDateTime t = OffsetDateTime.parse(n.get("event_time").asText());
          if (t.toInstant().isAfter(Instant.now().plus(Duration.ofDays(365)))) {
            found.add("event_time_in_future");
          }
        } catch (DateTimeParseException e) {
          found.add("invalid_timestamp");
        }
      }
      if (itemsOk) {
        if (items.isEmpty()) {
          found.add("empty_items");
        }
        boolean nonPositive = false, negative = false;
        for (JsonNode it : items) {
          long q = it.get("quantity").longValue();
          BigDecimal price = it.get("unit_price").decimalValue();
          BigDecimal disc = it.has("discount") ? it.get("discount").decimalValue() : BigDecimal.ZERO;
          if (q <= 0) {
            nonPositive = true;
          } else if (price.signum() < 0 || disc.signum() < 0
              || disc.compareTo(price.multiply(BigDecimal.valueOf(q))) > 0) {
            negative = true;
          }
        }
        if (nonPositive) {
          found.add("non_positive_quantity");
        }
        if (negative) {
          found.add("negative_amount");
        }
      }
      if (n.path("store_id").isTextual() && !storeZones.containsKey(n.get("store_id").asText())) {
        found.add("unknown_store");
      }
      if (n.path("currency").isTextual()) {
        String c = n.get("currency").asText();
        try {
          Currency.getInstance(c);
          if (!c.equals("EUR") && !fx.containsKey(c)) {
            found.add("missing_fx_rate");
          }
        } catch (IllegalArgumentException e) {
          found.add("unknown_currency");
        }
      }
      return found;
    }
  }
}
