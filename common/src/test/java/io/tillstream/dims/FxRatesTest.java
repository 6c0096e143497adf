package io.tillstream.dims;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FxRatesTest {
  private static FxRates.Rate rate(String date, String currency, String value) {
    return new FxRates.Rate(LocalDate.parse(date), currency, new BigDecimal(value));
  }

  @Test
  void eachDayTakesItsOwnRateOrTheLatestEarlierOneWithinTheMaximumAge() {
    List<FxRates.Rate> rates = List.of(
        rate("2025-03-07", "USD", "0.90"), // Friday
        rate("2025-03-10", "USD", "0.80"), // Monday
        rate("2025-03-01", "GBP", "1.20"));
    Map<String, BigDecimal> daily = FxRates.daily(rates, 7).stream()
        .collect(Collectors.toMap(r -> r.currency() + " " + r.date(), FxRates.Rate::rate));
    assertEquals(new BigDecimal("0.90"), daily.get("USD 2025-03-07"));
    assertEquals(new BigDecimal("0.90"), daily.get("USD 2025-03-08"), "Saturday falls back to Friday");
    assertEquals(new BigDecimal("0.90"), daily.get("USD 2025-03-09"));
    assertEquals(new BigDecimal("0.80"), daily.get("USD 2025-03-10"));
    assertEquals(new BigDecimal("0.80"), daily.get("USD 2025-03-17"), "7 days old is still allowed");
    assertEquals(null, daily.get("USD 2025-03-18"), "8 days old is not");
    assertEquals(null, daily.get("USD 2025-03-06"), "nothing before the first rate");
    assertEquals(new BigDecimal("1.20"), daily.get("GBP 2025-03-08"));
    assertEquals(null, daily.get("GBP 2025-03-09"));
    assertEquals(11 + 8, daily.size());
  }

  @Test
  void maximumAgeZeroMeansSameDayOnly() {
    assertEquals(1, FxRates.daily(List.of(rate("2025-03-07", "USD", "0.9")), 0).size());
  }
}
