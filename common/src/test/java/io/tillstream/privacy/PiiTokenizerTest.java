package io.tillstream.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.config.ConfigError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiTokenizerTest {
  private final PiiTokenizer t = new PiiTokenizer(PiiKey.of("k1", "0123456789abcdef-secret"));

  @Test
  void tokensAreKeyedNormalizedAndSeparatedByKind() {
    assertEquals(t.token(PiiTokenizer.Kind.EMAIL, "Ann@Example.com"), t.token(PiiTokenizer.Kind.EMAIL, " ann@example.com"));
    assertEquals(t.token(PiiTokenizer.Kind.CARD, "4111-1111-1111-1111"), t.token(PiiTokenizer.Kind.CARD, "4111111111111111"));
    assertNotEquals(t.token(PiiTokenizer.Kind.EMAIL, "x"), t.token(PiiTokenizer.Kind.PHONE, "x"));
    PiiTokenizer other = new PiiTokenizer(PiiKey.of("k2", "another-secret-of-16+"));
    assertNotEquals(t.token(PiiTokenizer.Kind.EMAIL, "ann@example.com"), other.token(PiiTokenizer.Kind.EMAIL, "ann@example.com"));
    assertTrue(t.token(PiiTokenizer.Kind.CUSTOMER, "C1").matches("[0-9a-f]{32}"));
  }

  @Test
  void freeTextLosesEmailsAndCardNumbers() {
    String masked = t.maskFreeText("mail ann@example.com, card 4111 1111 1111 1111, order 12345");
    assertFalse(masked.contains("ann@example.com"));
    assertFalse(masked.contains("4111 1111 1111 1111"));
    assertTrue(masked.contains("order 12345"), masked);
  }

  @Test
  void lastFour() {
    assertEquals("1111", PiiTokenizer.lastFour("4111-1111-1111-1111"));
    assertEquals(null, PiiTokenizer.lastFour("12"));
  }

  @Test
  void keyComesFromTheEnvironmentAndIsNeverPrinted() {
    PiiKey k = PiiKey.fromEnvironment(Map.of("TILLSTREAM_PII_KEY", "super-secret-value-123"), "k9", false);
    assertEquals("k9", k.id());
    assertFalse(k.toString().contains("super-secret"));
    assertEquals("k3", PiiKey.fromEnvironment(Map.of("TILLSTREAM_PII_KEY", "super-secret-value-123",
        "TILLSTREAM_PII_KEY_ID", "k3"), "k9", false).id());
    ConfigError e = assertThrows(ConfigError.class, () -> PiiKey.fromEnvironment(Map.of(), "k1", false));
    assertTrue(e.getMessage().contains("TILLSTREAM_PII_KEY"));
    assertTrue(PiiKey.fromEnvironment(Map.of(), "k1", true).isDemo());
    assertThrows(ConfigError.class, () -> PiiKey.of("k", "short"));
  }
}
