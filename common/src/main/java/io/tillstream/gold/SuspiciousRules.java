package io.tillstream.gold;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/** Thresholds of the suspicious-transaction rules (from configuration). */
public record SuspiciousRules(
    boolean largeOrder, BigDecimal largeOrderMinNet,
    boolean cardVelocity, int cardVelocityMinSales, Duration cardVelocityWindow,
    boolean multiStoreCard, int multiStoreMinStores, Duration multiStoreWindow) implements Serializable {

  public static SuspiciousRules defaults() {
    return new SuspiciousRules(true, new BigDecimal("5000"), true, 5, Duration.ofMinutes(10), true, 3,
        Duration.ofMinutes(60));
  }

  /** Business days before a recomputed day whose events a rule can look back on (time zones included). */
  public int lookbackDays() {
    long longest = Math.max(cardVelocityWindow.toMinutes(), multiStoreWindow.toMinutes());
    return (int) (longest / (24 * 60)) + 2;
  }
}
