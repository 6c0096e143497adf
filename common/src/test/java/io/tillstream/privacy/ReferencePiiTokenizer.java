package io.tillstream.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Frozen copy of {@code io.tillstream.privacy.PiiTokenizer} as of commit 011f0b9, before the parser was made faster: the oracle that
 * EventParserEquivalenceTest compares the production parser with. Do not change it to follow the production code.
 */
public final class ReferencePiiTokenizer {
  public enum Kind { EMAIL, PHONE, CARD, CUSTOMER }

  private static final String EMAIL = "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}";
  private static final Pattern EMAIL_PATTERN = Pattern.compile(EMAIL);
  /**
   * What free text may hold, tried in this order at each position: a token written before (kept, so masking is
   * idempotent), an e-mail, a card-like run (13 to 19 digits, grouped by spaces or dashes), an ISO date (kept: not
   * personal), a phone-like run (7 or more digits, optionally after a '+', grouped by spaces, dots, dashes or
   * parentheses). A customer id such as C00001448 loses its digit run the same way.
   */
  private static final Pattern FREE_TEXT = Pattern.compile(
      "(?<token>tok:[0-9a-f]{32})"
      + "|(?<email>" + EMAIL + ")"
      + "|(?<card>(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9]))"
      + "|(?<date>(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9]))"
      + "|(?<phone>(?<![0-9])\\+?[0-9](?:[ ().-]{0,2}[0-9]){6,}(?![0-9]))");
  private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");

  private final Mac mac;
  private final String keyId;
  private final boolean keepTokens;

  public ReferencePiiTokenizer(PiiKey key) {
    this(key, false);
  }

  /**
   * {@code keepTokens}: the input was written by this tokenizer (bronze, quarantine), so a value that already is a
   * token stays as it is instead of being tokenized twice. Only for records read back from the lake: a value from
   * a source that happens to look like a token is PII all the same.
   */
  public ReferencePiiTokenizer(PiiKey key, boolean keepTokens) {
    this.keepTokens = keepTokens;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
    keyId = key.id();
  }

  public String keyId() {
    return keyId;
  }

  /** Token of a value: 32 hex characters (128 bits of HMAC-SHA256 over kind and normalized value). */
  public String token(Kind kind, String value) {
    if (value == null) {
      return null;
    }
    if (keepTokens && isToken(value)) {
      return value;
    }
    String normalized = normalize(kind, value);
    byte[] out = mac.doFinal((kind.name() + ":" + normalized).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(out, 0, 16);
  }

  /** True for what {@link #token} returns. */
  public static boolean isToken(String value) {
    return value != null && TOKEN.matcher(value).matches();
  }

  public boolean keepsTokens() {
    return keepTokens;
  }

  static String normalize(Kind kind, String value) {
    String v = value.trim();
    return switch (kind) {
      case EMAIL -> v.toLowerCase(Locale.ROOT);
      case PHONE -> v.replaceAll("[^0-9+]", "");
      case CARD -> v.replaceAll("[^0-9]", "");
      case CUSTOMER -> v;
    };
  }

  /** Last four digits of a card number, or null when it has fewer than four digits. */
  public static String lastFour(String card) {
    if (card == null) {
      return null;
    }
    String digits = card.replaceAll("[^0-9]", "");
    return digits.length() < 4 ? null : digits.substring(digits.length() - 4);
  }

  /** Replaces e-mail addresses with tokens (safe on identifiers: nothing else looks like an e-mail). */
  public String maskEmails(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    return replace(EMAIL_PATTERN, text, m -> "tok:" + token(Kind.EMAIL, m));
  }

  /** Replaces e-mail addresses, card-like and phone-like digit runs in free text with tokens. */
  public String maskFreeText(String text) {
    if (text == null || !mayHoldPii(text)) {
      return text;
    }
    Matcher m = FREE_TEXT.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group("email") != null) {
        replacement = "tok:" + token(Kind.EMAIL, m.group());
      } else if (m.group("card") != null) {
        replacement = "tok:" + token(Kind.CARD, m.group());
      } else if (m.group("phone") != null) {
        replacement = "tok:" + token(Kind.PHONE, m.group());
      } else {
        replacement = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Cheap pre-check: an e-mail needs an '@', a phone or card number at least 7 digits. */
  private static boolean mayHoldPii(String text) {
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '@') {
        return true;
      }
      if (c >= '0' && c <= '9' && ++digits >= 7) {
        return true;
      }
    }
    return false;
  }

  private static String replace(Pattern p, String text, java.util.function.Function<String, String> f) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder sb = new StringBuilder();
    do {
      m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m.group())));
    } while (m.find());
    m.appendTail(sb);
    return sb.toString();
  }
}
