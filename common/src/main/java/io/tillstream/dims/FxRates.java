package io.tillstream.dims;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** FX rates to the reporting currency and the rule that picks the rate of a day. */
public final class FxRates {
  /** A rate of {@code currency} valid on {@code date}: amount x rate = amount in reporting currency. */
  public record Rate(LocalDate date, String currency, BigDecimal rate) {}

  static List<Rate> parse(CsvFile f, List<String> warnings) {
    List<Rate> rates = new ArrayList<>();
    Map<String, Integer> seen = new TreeMap<>();
    warnings.addAll(f.warnings());
    for (CsvFile.Row r : f.rows()) {
      LocalDate date;
      BigDecimal rate;
      try {
        date = parseDate(r.get("date"));
        rate = parseRate(r.get("rate_to_reporting"));
        if (r.get("currency") == null || !r.get("currency").matches("[A-Z]{3}")) {
          throw new IllegalArgumentException("currency '" + r.get("currency") + "' is not an ISO-4217 code");
        }
      } catch (IllegalArgumentException e) {
        warnings.add(Dimensions.ROW_IGNORED + ": " + f.path() + ":" + r.line() + ": " + e.getMessage()
            + "; row ignored");
        continue;
      }
      String key = date + "," + r.get("currency");
      Integer first = seen.putIfAbsent(key, r.line());
      if (first != null) {
        warnings.add("duplicate_dimension_key: " + f.path() + ":" + r.line() + " repeats (date, currency) " + key
            + " of line " + first + "; the last row wins");
        rates.removeIf(x -> x.date().equals(date) && x.currency().equals(r.get("currency")));
      }
      rates.add(new Rate(date, r.get("currency"), rate));
    }
    return List.copyOf(rates);
  }

  private static LocalDate parseDate(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("date '" + text + "' is not YYYY-MM-DD");
    }
  }

  private static BigDecimal parseRate(String text) {
    BigDecimal rate;
    try {
      rate = new BigDecimal(text).setScale(10, RoundingMode.HALF_UP);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rate_to_reporting '" + text + "' is not a number");
    }
    if (rate.signum() <= 0 || rate.precision() - rate.scale() > 6) {
      throw new IllegalArgumentException("rate_to_reporting " + rate.toPlainString() + " must be > 0 and < 1000000");
    }
    return rate;
  }

  /**
   * The rate for every day from a currency's first rate to {@code maxAgeDays} after its last: the rate of that
   * day, or else the latest earlier rate at most {@code maxAgeDays} older. Days without one are absent.
   */
  public static List<Rate> daily(List<Rate> rates, int maxAgeDays) {
    Map<String, TreeMap<LocalDate, BigDecimal>> byCurrency = new TreeMap<>();
    for (Rate r : rates) {
      byCurrency.computeIfAbsent(r.currency(), c -> new TreeMap<>()).put(r.date(), r.rate());
    }
    List<Rate> out = new ArrayList<>();
    byCurrency.forEach((currency, series) -> {
      LocalDate end = series.lastKey().plusDays(maxAgeDays);
      for (LocalDate d = series.firstKey(); !d.isAfter(end); d = d.plusDays(1)) {
        Map.Entry<LocalDate, BigDecimal> e = series.floorEntry(d);
        if (e != null && !e.getKey().isBefore(d.minusDays(maxAgeDays))) {
          out.add(new Rate(d, currency, e.getValue()));
        }
      }
    });
    return out;
  }

  private FxRates() {}
}
