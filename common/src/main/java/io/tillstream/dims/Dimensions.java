package io.tillstream.dims;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.tillstream.contract.EventSchemas;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Reference data (stores, products, FX rates), read on the driver so that "the last row for a key wins" follows
 * file order. Repeated keys become duplicate_dimension_key warnings; rows that cannot be used are ignored with a
 * dimension_row_ignored warning (a missing file or column fails fast).
 */
public record Dimensions(
    List<Store> stores, List<Product> products, List<FxRates.Rate> fxRates, List<String> warnings) {
  /** Warning prefix of a reference row that cannot be used; its facts then fail their own rules visibly. */
  public static final String ROW_IGNORED = "dimension_row_ignored";

  public record Store(String storeId, String name, String city, String country, String region, String timezone) {}

  public record Product(String sku, String name, String category, String brand, BigDecimal unitCost) {}

  public static final StructType STORES = createStructType(List.of(
      createStructField("store_id", StringType, false),
      createStructField("store_name", StringType, true),
      createStructField("city", StringType, true),
      createStructField("country", StringType, true),
      createStructField("region", StringType, true),
      createStructField("store_timezone", StringType, false)));

  public static final StructType PRODUCTS = createStructType(List.of(
      createStructField("sku", StringType, false),
      createStructField("product_name", StringType, true),
      createStructField("category", StringType, true),
      createStructField("brand", StringType, true),
      createStructField("unit_cost", EventSchemas.PRICE, true)));

  public static final StructType FX_DAILY = createStructType(List.of(
      createStructField("fx_currency", StringType, false),
      createStructField("fx_date", DateType, false),
      createStructField("fx_rate", EventSchemas.FX_RATE, false)));

  public static Dimensions load(Configuration hadoop, String dir) {
    List<String> warnings = new ArrayList<>();
    String base = dir.endsWith("/") ? dir : dir + "/";
    CsvFile stores = CsvFile.read(hadoop, base + "stores.csv",
        List.of("store_id", "name", "city", "country", "region", "timezone"));
    CsvFile products = CsvFile.read(hadoop, base + "products.csv",
        List.of("sku", "name", "category", "brand", "unit_cost"));
    CsvFile fx = CsvFile.read(hadoop, base + "fx_rates.csv", List.of("date", "currency", "rate_to_reporting"));
    return new Dimensions(parseStores(stores, warnings), parseProducts(products, warnings),
        FxRates.parse(fx, warnings), List.copyOf(warnings));
  }

  static List<Store> parseStores(CsvFile f, List<String> warnings) {
    return lastWins(f, "store_id", warnings, r -> {
      String tz = r.get("timezone");
      try {
        ZoneId.of(tz);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("timezone '" + tz + "' of store " + r.get("store_id")
            + " is not an IANA time zone (e.g. Europe/Paris); its events will be unknown_store");
      }
      return new Store(r.get("store_id"), r.get("name"), r.get("city"), r.get("country"), r.get("region"), tz);
    });
  }

  static List<Product> parseProducts(CsvFile f, List<String> warnings) {
    return lastWins(f, "sku", warnings, r -> {
      String cost = r.get("unit_cost");
      BigDecimal unitCost = null;
      if (cost != null && !cost.isEmpty()) {
        try {
          unitCost = new BigDecimal(cost).setScale(6, java.math.RoundingMode.HALF_UP);
        } catch (NumberFormatException | ArithmeticException e) {
          warnings.add(f.path() + ":" + r.line() + ": unit_cost '" + cost + "' is not a number; kept empty");
        }
      }
      String category = r.get("category");
      return new Product(r.get("sku"), r.get("name"), category == null || category.isEmpty() ? "unknown"
          : category, r.get("brand"), unitCost);
    });
  }

  /** Keeps the last row of every key, in order of first appearance, and warns about each repeated key. */
  static <T> List<T> lastWins(CsvFile f, String keyColumn, List<String> warnings,
      Function<CsvFile.Row, T> parse) {
    Map<String, T> byKey = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    warnings.addAll(f.warnings());
    for (CsvFile.Row r : f.rows()) {
      String key = r.get(keyColumn);
      T value;
      try {
        if (key == null || key.isEmpty()) {
          throw new IllegalArgumentException("empty " + keyColumn);
        }
        value = parse.apply(r);
      } catch (IllegalArgumentException e) {
        warnings.add(ROW_IGNORED + ": " + f.path() + ":" + r.line() + ": " + e.getMessage() + "; row ignored");
        continue;
      }
      if (byKey.containsKey(key)) {
        warnings.add("duplicate_dimension_key: " + f.path() + ":" + r.line() + " repeats " + keyColumn + " '" + key
            + "' of line " + firstLine.get(key) + "; the last row wins");
      } else {
        firstLine.put(key, r.line());
      }
      byKey.put(key, value);
    }
    return List.copyOf(byKey.values());
  }

  public Dataset<Row> storesFrame(SparkSession spark) {
    List<Row> rows = stores.stream().map(s -> RowFactory.create(s.storeId(), s.name(), s.city(), s.country(),
        s.region(), s.timezone())).toList();
    return spark.createDataFrame(rows, STORES);
  }

  public Dataset<Row> productsFrame(SparkSession spark) {
    List<Row> rows = products.stream().map(p -> RowFactory.create(p.sku(), p.name(), p.category(), p.brand(),
        p.unitCost())).toList();
    return spark.createDataFrame(rows, PRODUCTS);
  }

  /** One row per (currency, day) that has a usable rate: see {@link FxRates#daily}. */
  public Dataset<Row> fxDailyFrame(SparkSession spark, int maxAgeDays) {
    List<Row> rows = FxRates.daily(fxRates, maxAgeDays).stream()
        .map(r -> RowFactory.create(r.currency(), java.sql.Date.valueOf(r.date()), r.rate())).toList();
    return spark.createDataFrame(rows, FX_DAILY);
  }

  public long duplicateKeyWarnings() {
    return warnings.stream().filter(w -> w.startsWith("duplicate_dimension_key")).count();
  }
}
