package io.tillstream.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Fixed reference data of the generator: stores, product catalogue and fx rates.
 *
 * <p>Stores and products do not depend on the seed (the catalogue is the same for every run); fx rates depend only
 * on (date, currency), so two runs with overlapping date ranges agree on the overlapping rates.
 */
final class ReferenceData {
  private ReferenceData() {}

  /** Currency indexes used in internal price tables. */
  static final int EUR = 0, GBP = 1, USD = 2, JPY = 3;
  static final String[] CURRENCIES = {"EUR", "GBP", "USD", "JPY"};
  /** Base rate to EUR (reporting currency) in millionths, e.g. 1 GBP = 1.17 EUR. */
  static final long[] BASE_RATE_MICRO = {1_000_000L, 1_170_000L, 920_000L, 6_100L};
  /** Minor-unit rounding step for list prices, in cents (JPY prices are whole yen). */
  static final long[] PRICE_STEP = {1, 1, 1, 100};

  record Store(String id, String name, String city, String country, String region, ZoneId zone, int currency,
      int weight, String phonePrefix) {
    String currencyCode() {
      return CURRENCIES[currency];
    }
  }

  static final List<Store> STORES = List.of(
      new Store("FR-PARIS-01", "Tillstream Paris Rivoli", "Paris", "FR", "EMEA", ZoneId.of("Europe/Paris"), EUR, 3, "+33-6-"),
      new Store("FR-LYON-01", "Tillstream Lyon Part-Dieu", "Lyon", "FR", "EMEA", ZoneId.of("Europe/Paris"), EUR, 2, "+33-6-"),
      new Store("DE-BERLIN-01", "Tillstream Berlin Mitte", "Berlin", "DE", "EMEA", ZoneId.of("Europe/Berlin"), EUR, 2, "+49-151-"),
      new Store("GB-LONDON-01", "Tillstream London, Oxford Street", "London", "GB", "EMEA", ZoneId.of("Europe/London"), GBP, 3, "+44-7700-"),
      new Store("US-NYC-01", "Tillstream New York, 5th Avenue", "New York", "US", "AMER", ZoneId.of("America/New_York"), USD, 3, "+1-212-"),
      new Store("US-CHI-01", "Tillstream Chicago Loop", "Chicago", "US", "AMER", ZoneId.of("America/Chicago"), USD, 2, "+1-312-"),
      new Store("US-SFO-01", "Tillstream San Francisco Union Square", "San Francisco", "US", "AMER", ZoneId.of("America/Los_Angeles"), USD, 2, "+1-415-"),
      new Store("JP-TOKYO-01", "Tillstream Tokyo Ginza", "Tokyo", "JP", "APAC", ZoneId.of("Asia/Tokyo"), JPY, 2, "+81-90-"));

  // ---------------------------------------------------------------- products

  record Product(String sku, String name, String category, String brand, long unitCostCents, long listEurCents) {}

  static final String[] CATEGORIES = {"grocery", "apparel", "home", "beauty", "toys", "sports", "books", "electronics"};
  private static final long[][] PRICE_RANGE_EUR_CENTS = {
      {50, 3_000}, {500, 20_000}, {500, 40_000}, {300, 12_000}, {500, 15_000}, {1_000, 45_000}, {500, 6_000}, {1_500, 50_000}};
  private static final String[][] NOUNS = {
      {"Coffee beans", "Café crème beans", "Olive oil", "Pasta, fusilli", "Dark chocolate", "Green tea", "Honey", "Granola"},
      {"Socks, wool", "T-shirt", "Hoodie", "Jeans", "Rain jacket", "Scarf", "Sneakers", "Beanie"},
      {"Skillet 12\"", "Mug", "Bath towel", "Desk lamp", "Cushion", "Knife set", "Vase", "Duvet, king size"},
      {"Face cream", "Shampoo", "Lip balm", "Perfume", "Sunscreen", "Hand soap", "Nail polish", "Serum"},
      {"Puzzle, 1000 pieces", "Building blocks", "Plush bear", "Toy car", "Board game", "Kite", "Doll", "Yo-yo"},
      {"Yoga mat", "Tennis racket", "Football", "Bike helmet", "Dumbbells", "Running shorts", "Water bottle", "Tent"},
      {"Cookbook", "Novel", "Atlas", "Poetry, collected", "Comic", "Travel guide", "Biography", "Notebook"},
      {"Headphones", "Phone charger", "Smart speaker", "Laptop 14\"", "Camera", "Tablet", "E-reader", "Smartwatch"}};
  private static final String[] ADJECTIVES = {"Classic", "Organic", "Premium", "Everyday", "Deluxe", "Compact", "Nordic",
      "Urban", "Vintage", "Eco"};
  private static final String[][] BRANDS = {
      {"Fermière", "GoodHarvest", "Pantry & Co"}, {"Northwind", "Loomcraft", "Smith, Jones & Co"},
      {"Casa Nova", "HearthLine", "Maison Blanc"}, {"Glowé", "PureSkin", "Bloom"}, {"Playtime", "Kidzo", "Tinker"},
      {"Peak", "Stride", "O'Field"}, {"Paper Lantern", "Inkwell", "Atlas House"}, {"Voltix", "Nimbus", "Quanta"}};

  /** Number of distinct skus in the catalogue. */
  static final int PRODUCT_COUNT = 200;
  /** Index (0-based) of the product whose key is repeated on the last CSV line. */
  static final int DUPLICATE_INDEX = 41;

  /** All CSV rows in file order: 200 products then one repeated key (201 rows). */
  static final List<Product> CSV_ROWS;
  /** Effective catalogue (last definition wins), indexed by product number - 1. */
  static final Product[] PRODUCTS;
  /** Indexes (into PRODUCTS) of expensive products (list price 400-500 EUR), used for large orders. */
  static final int[] EXPENSIVE;
  /** Number of generated skus that are NOT in the catalogue (SKU-90000 ... SKU-90999). */
  static final int UNKNOWN_SKU_COUNT = 1000;
  /** Known skus (same indexes as PRODUCTS) followed by the unknown ones; and their ASCII bytes. */
  static final String[] ALL_SKUS;
  static final byte[][] ALL_SKU_BYTES;
  /** EUR list price in cents per ALL_SKUS index. */
  static final long[] ALL_LIST_EUR;

  static {
    SplittableRandom r = new SplittableRandom(0x5EEDCA7AL);
    List<Product> rows = new ArrayList<>();
    List<Integer> expensive = new ArrayList<>();
    for (int i = 0; i < PRODUCT_COUNT; i++) {
      int cat = i % CATEGORIES.length;
      String name = ADJECTIVES[r.nextInt(ADJECTIVES.length)] + " " + NOUNS[cat][(i / CATEGORIES.length) % NOUNS[cat].length];
      String brand = BRANDS[cat][r.nextInt(BRANDS[cat].length)];
      long list;
      if (cat == 7 && i % 16 == 7) {
        list = 40_000 + r.nextLong(10_001);
        expensive.add(i);
      } else {
        double lo = Math.log(PRICE_RANGE_EUR_CENTS[cat][0]);
        double hi = Math.log(PRICE_RANGE_EUR_CENTS[cat][1]);
        list = Math.round(Math.exp(lo + r.nextDouble() * (hi - lo)));
      }
      long cost = (i % 10 == 3) ? -1 : Math.max(1, list * (40 + r.nextInt(31)) / 100); // EUR cents, empty for 10 %
      rows.add(new Product(String.format(java.util.Locale.ROOT, "SKU-%05d", i + 1), name, CATEGORIES[cat], brand, cost, list));
    }
    Product orig = rows.get(DUPLICATE_INDEX);
    // Repeated key, different name/category/brand/cost: consumers must apply "last row wins".
    Product redefined = new Product(orig.sku(), "Doormat, coir", "home", "HearthLine", 1_150, 2_490);
    rows.add(redefined);
    CSV_ROWS = List.copyOf(rows);
    PRODUCTS = new Product[PRODUCT_COUNT];
    for (Product p : rows) {
      PRODUCTS[Integer.parseInt(p.sku().substring(4)) - 1] = p; // last definition wins
    }
    EXPENSIVE = expensive.stream().mapToInt(Integer::intValue).toArray();
    int all = PRODUCT_COUNT + UNKNOWN_SKU_COUNT;
    ALL_SKUS = new String[all];
    ALL_SKU_BYTES = new byte[all][];
    ALL_LIST_EUR = new long[all];
    for (int i = 0; i < all; i++) {
      boolean known = i < PRODUCT_COUNT;
      ALL_SKUS[i] = known ? PRODUCTS[i].sku() : String.format(java.util.Locale.ROOT, "SKU-9%04d", i - PRODUCT_COUNT);
      ALL_SKU_BYTES[i] = ALL_SKUS[i].getBytes(StandardCharsets.US_ASCII);
      ALL_LIST_EUR[i] = known ? PRODUCTS[i].listEurCents() : 100 + Long.remainderUnsigned(mix64(i + 7_777L), 4_901);
    }
  }

  /** Base local list price (minor units: cents, whole-yen multiples of 100 for JPY) of product i in currency c. */
  static long listPrice(long listEurCents, int currency) {
    long step = PRICE_STEP[currency];
    long local = Math.round(listEurCents * 1_000_000.0 / BASE_RATE_MICRO[currency] / step) * step;
    return Math.max(step, local);
  }

  // ---------------------------------------------------------------- fx

  /** Currencies that have fx rows (EUR is the reporting currency and has none; CHF never has any). */
  static final String[] FX_CURRENCIES = {"GBP", "JPY", "USD"};
  private static final int[] FX_CURRENCY_INDEX = {GBP, JPY, USD};

  static boolean isWeekend(LocalDate d) {
    DayOfWeek w = d.getDayOfWeek();
    return w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY;
  }

  /** Rate to EUR in millionths for the given currency index and date: base rate +/- 2 %, a pure function of both. */
  static long fxMicro(int currency, long epochDay) {
    long h = mix64(epochDay * 0x9E3779B97F4A7C15L + currency * 0xC2B2AE3D27D4EB4FL + 0x1234567L);
    long permille = (h >>> 11) % 401 - 200; // -200..200 -> -2.00 %..+2.00 % in hundredths of a percent
    return Math.round(BASE_RATE_MICRO[currency] * (1.0 + permille / 10_000.0));
  }

  // ---------------------------------------------------------------- csv writing

  static void writeStores(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("store_id,name,city,country,region,timezone\n");
      for (Store s : STORES) {
        w.write(StringEscapeUtils.escapeCsv(s.id()) + "," + StringEscapeUtils.escapeCsv(s.name()) + "," + StringEscapeUtils.escapeCsv(s.city()) + "," + StringEscapeUtils.escapeCsv(s.country()) + ","
            + StringEscapeUtils.escapeCsv(s.region()) + "," + StringEscapeUtils.escapeCsv(s.zone().getId()) + "\n");
      }
    }
  }

  static void writeProducts(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("sku,name,category,brand,unit_cost\n");
      for (Product p : CSV_ROWS) {
        w.write(StringEscapeUtils.escapeCsv(p.sku()) + "," + StringEscapeUtils.escapeCsv(p.name()) + "," + StringEscapeUtils.escapeCsv(p.category()) + "," + StringEscapeUtils.escapeCsv(p.brand()) + ","
            + (p.unitCostCents() < 0 ? "" : money(p.unitCostCents())) + "\n");
      }
    }
  }

  /** Rows for GBP, JPY, USD for each weekday from startDate-3 to startDate+days+1 inclusive. */
  static long writeFx(Path file, LocalDate startDate, int days) throws IOException {
    long rows = 0;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("date,currency,rate_to_reporting\n");
      LocalDate end = startDate.plusDays(days + 1L);
      for (LocalDate d = startDate.minusDays(3); !d.isAfter(end); d = d.plusDays(1)) {
        if (isWeekend(d)) {
          continue;
        }
        for (int i = 0; i < FX_CURRENCIES.length; i++) {
          long micro = fxMicro(FX_CURRENCY_INDEX[i], d.toEpochDay());
          w.write(d + "," + FX_CURRENCIES[i] + "," + micro / 1_000_000 + "." + pad(micro % 1_000_000, 6) + "\n");
          rows++;
        }
      }
    }
    return rows;
  }

  static String money(long cents) {
    return (cents < 0 ? "-" : "") + Math.abs(cents) / 100 + "." + pad(Math.abs(cents) % 100, 2);
  }

  private static String pad(long v, int width) {
    String s = Long.toString(v);
    return "0".repeat(Math.max(0, width - s.length())) + s;
  }

  /** SplitMix64 finalizer. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
