package io.tillstream.contract;

import static io.tillstream.quality.QualityRules.INVALID_TIMESTAMP;
import static io.tillstream.quality.QualityRules.MALFORMED_RECORD;
import static io.tillstream.quality.QualityRules.MISSING_REQUIRED_FIELD;
import static io.tillstream.quality.QualityRules.SCHEMA_VIOLATION;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tillstream.ingest.RawLines;
import io.tillstream.privacy.JsonRedactor;
import io.tillstream.privacy.PiiTokenizer;
import io.tillstream.privacy.PiiTokenizer.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;

/**
 * Parses one raw record of the event contract into a typed row of {@link EventSchemas#PARSED}: it checks JSON
 * well-formedness, types and required fields (the PARSE-scope rules), and replaces e-mail, phone, card number
 * and customer id with keyed tokens before anything is kept. Value rules (quantities, amounts, stores, FX) are
 * SQL rules applied later. Not thread-safe: one instance per partition.
 */
public final class EventParser {
  static final Set<String> CHANNELS = Set.of("pos", "web", "mobile");
  static final Set<String> PAYMENT_METHODS = Set.of("card", "cash", "wallet", "voucher");
  private static final Set<String> ISO_CURRENCIES = Currency.getAvailableCurrencies().stream()
      .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
  /** Limits, written as powers of ten in reasons (a run of 7 or more digits in a reason is masked as a phone). */
  private static final BigDecimal MAX_PRICE = new BigDecimal("1000000000");
  private static final long MAX_QUANTITY = 1_000_000L;
  private static final int PRICE_SCALE = 6;

  private final ObjectMapper mapper = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private final com.fasterxml.jackson.databind.ObjectWriter writer = mapper.writer();
  private final PiiTokenizer tokenizer;
  private final JsonRedactor redactor;
  private final UsualShapeReader usualShape;
  private final MessageDigest sha256;
  /** The last event_time read and its value: the redactor asks again about the same text. */
  private String readTimeText;
  private Timestamp readTime;

  public EventParser(PiiTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.redactor = new JsonRedactor(tokenizer, mapper, this::isValidEventTime);
    this.usualShape = new UsualShapeReader(mapper.getFactory(), tokenizer, redactor);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isIsoCurrency(String code) {
    return code != null && ISO_CURRENCIES.contains(code);
  }

  /** Parses one record; never throws for bad input. */
  public Row parse(String sourceFile, long sourceLine, String value) {
    String text = value == null ? "" : stripBom(value);
    int replaced = text.indexOf('\uFFFD');
    UsualShapeReader.UsualRecord usual = replaced < 0 ? usualShape.read(text) : null;
    if (usual != null) {
      return row(sourceFile, sourceLine, usual.rawRecord(), hash(usual.canonical()), usual.fields());
    }
    EventFields f = new EventFields();
    JsonNode root = null;
    if (replaced >= 0) {
      // Readers (RawLines, Spark's cast of Kafka values) decode invalid UTF-8 as U+FFFD: the bytes were damaged.
      f.issue(MALFORMED_RECORD, "the record is not valid UTF-8 (U+FFFD at character " + replaced + ")");
    }
    try {
      root = mapper.readTree(text);
      if (root == null || !root.isObject()) {
        f.issue(MALFORMED_RECORD, "the record is " + (root == null ? "empty" : "a JSON " + kind(root))
            + ", not a JSON object");
      }
    } catch (JsonProcessingException e) {
      f.issue(MALFORMED_RECORD, redactor.describe(e));
      root = null;
    }
    String rawRecord;
    String contentHash = null;
    if (root instanceof ObjectNode event) {
      read(event, f);
      tokenize(f);
      redactor.redact(event);
      if (f.cardToken != null && event.get("payment") instanceof ObjectNode payment) {
        payment.put("card_last4", f.cardLast4);
      }
      rawRecord = json(event);
      contentHash = hash(canonical(event));
    } else if (root != null) {
      rawRecord = json(redactor.redact(root));
    } else if (RawLines.readerNote(text) != null) {
      // The reader's own note on input it could not read: the note is the reason, the input text is redacted.
      String[] note = RawLines.readerNote(text);
      String reason = tokenizer.maskFreeText(note[0]);
      f.issues.clear();
      f.issue(MALFORMED_RECORD, reason.substring(reason.indexOf(' ') + 1));
      rawRecord = note[1].isEmpty() ? reason : reason + " " + redactor.redactUnparsed(note[1]);
    } else {
      rawRecord = text.isEmpty() ? text : redactor.redactUnparsed(text);
    }
    return row(sourceFile, sourceLine, rawRecord, contentHash, f);
  }

  /** True when the record takes the streaming fast path (tests check that usual records do). */
  boolean takesFastPath(String value) {
    String text = stripBom(value);
    return text.indexOf('\uFFFD') < 0 && usualShape.read(text) != null;
  }

  private Row row(String sourceFile, long sourceLine, String rawRecord, String contentHash, EventFields f) {
    String recordId = hash(sourceFile + '\u0000' + sourceLine + '\u0000' + rawRecord);
    return new GenericRowWithSchema(new Object[] {recordId, sourceFile, sourceLine, rawRecord, tokenizer.keyId(), contentHash,
        f.eventId, f.eventType, f.eventTimeText, f.eventTime, f.orderId, f.storeId, f.channel, f.currency,
        isIsoCurrency(f.currency), f.customerToken, f.paymentMethod, f.cardToken,
        f.cardLast4, f.items, maskedIssues(f)}, EventSchemas.PARSED);
  }

  private String json(JsonNode n) {
    try {
      return writer.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a parsed tree", e);
    }
  }

  /** The event_time of the contract: ISO-8601 with an offset, or null. */
  public static Timestamp eventTime(String text) {
    return EventTimes.parse(text);
  }

  private boolean isValidEventTime(String text) {
    return text.equals(readTimeText) ? readTime != null : eventTime(text) != null;
  }

  /** Issue details quote values from the record: they must not carry personal data either. */
  private Row[] maskedIssues(EventFields f) {
    Row[] out = new Row[f.issues.size()];
    for (int i = 0; i < out.length; i++) {
      Row issue = f.issues.get(i);
      out[i] = RowFactory.create(issue.getString(0), tokenizer.maskFreeText(issue.getString(1)));
    }
    return out;
  }

  /**
   * The typed fields: PII as tokens, and no e-mail in an identifier or code (a producer bug) either, because rules
   * quote these fields in their reasons. Card-like numbers stay in identifiers: long numeric ids are common.
   */
  private void tokenize(EventFields f) {
    f.customerToken = tokenizer.token(Kind.CUSTOMER, f.customerId);
    f.cardToken = tokenizer.token(Kind.CARD, f.card);
    f.cardLast4 = cardLast4(tokenizer, f.card, f.givenCardLast4);
    f.eventId = tokenizer.maskEmails(f.eventId);
    f.orderId = tokenizer.maskEmails(f.orderId);
    f.storeId = tokenizer.maskEmails(f.storeId);
    f.eventType = tokenizer.maskFreeText(f.eventType);
    f.eventTimeText = f.eventTime != null ? f.eventTimeText : tokenizer.maskFreeText(f.eventTimeText);
    f.currency = tokenizer.maskFreeText(f.currency);
    if (f.items != null) {
      for (int i = 0; i < f.items.length; i++) {
        Row item = f.items[i];
        String sku = item.getString(1);
        if (sku != null && sku.indexOf('@') >= 0) {
          f.items[i] = RowFactory.create(item.get(0), tokenizer.maskEmails(sku), item.get(2), item.get(3),
              item.get(4), item.get(5), item.get(6));
        }
      }
    }
  }

  /** The card_last4 kept: a replayed token keeps the digits given with it, any other card number its own. */
  static String cardLast4(PiiTokenizer tokenizer, String card, String givenCardLast4) {
    return tokenizer.keepsTokens() && PiiTokenizer.isToken(card) ? givenCardLast4 : PiiTokenizer.lastFour(card);
  }

  private static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
  }

  private void read(ObjectNode e, EventFields f) {
    JsonNode version = e.get("schema_version");
    if (version != null && !version.isNull() && !(version.isIntegralNumber() && version.asInt() == 1)) {
      f.issue(SCHEMA_VIOLATION, "schema_version " + version + " is not supported (expected 1)");
    }
    f.eventId = requiredString(e, "event_id", f);
    f.eventType = requiredString(e, "event_type", f);
    f.eventTimeText = requiredString(e, "event_time", f);
    if (f.eventTimeText != null) {
      f.eventTime = eventTime(f.eventTimeText);
      readTimeText = f.eventTimeText;
      readTime = f.eventTime;
      if (f.eventTime == null) {
        f.issue(INVALID_TIMESTAMP, "event_time '" + f.eventTimeText + "' is not ISO-8601 with an offset"
            + (f.eventTimeText.contains(":60") ? " (leap seconds are not accepted)" : ""));
      }
    }
    f.orderId = requiredString(e, "order_id", f);
    f.storeId = requiredString(e, "store_id", f);
    f.currency = requiredString(e, "currency", f);
    f.channel = optionalEnum(e, "channel", CHANNELS, f);
    JsonNode customer = optionalObject(e, "customer", f);
    if (customer != null) {
      f.customerId = optionalString(customer, "customer.customer_id", "customer_id", f);
      f.email = optionalString(customer, "customer.email", "email", f);
      f.phone = optionalString(customer, "customer.phone", "phone", f);
    }
    JsonNode payment = optionalObject(e, "payment", f);
    if (payment != null) {
      f.paymentMethod = optionalEnum(payment, "method", PAYMENT_METHODS, f);
      JsonNode card = payment.get("card_number");
      if (card != null && !card.isNull()) {
        if (!card.isTextual() && !card.isNumber()) {
          f.issue(SCHEMA_VIOLATION, "payment.card_number must be a string");
        }
        f.card = card.isNumber() ? plain(card.decimalValue()) : card.asText();
        if (card.isNumber()) {
          f.issue(SCHEMA_VIOLATION, "payment.card_number must be a string, not a number");
        }
      }
      f.givenCardLast4 = payment.path("card_last4").textValue();
    }
    readItems(e, f);
  }

  private void readItems(ObjectNode e, EventFields f) {
    JsonNode items = e.get("items");
    if (items == null || items.isNull()) {
      f.issue(MISSING_REQUIRED_FIELD, "items is missing");
      return;
    }
    if (!items.isArray()) {
      f.issue(SCHEMA_VIOLATION, "items must be an array, not a " + kind(items));
      return;
    }
    Row[] rows = new Row[items.size()];
    for (int i = 0; i < items.size(); i++) {
      rows[i] = readItem(items.get(i), i + 1, f);
    }
    f.items = rows;
  }

  private Row readItem(JsonNode item, int lineNo, EventFields f) {
    String at = "items[" + lineNo + "]";
    if (!item.isObject()) {
      f.issue(SCHEMA_VIOLATION, at + " must be an object, not a " + kind(item));
      return RowFactory.create(lineNo, null, null, null, null, null, null);
    }
    String sku = requiredString(item, at + ".sku", "sku", f);
    Long quantity = null;
    JsonNode q = item.get("quantity");
    if (q == null || q.isNull()) {
      f.issue(MISSING_REQUIRED_FIELD, at + ".quantity is missing");
    } else if (!q.isNumber() || q.decimalValue().stripTrailingZeros().scale() > 0) {
      f.issue(SCHEMA_VIOLATION, at + ".quantity must be an integer, got " + q);
    } else if (!isContractQuantity(q.decimalValue())) {
      f.issue(SCHEMA_VIOLATION, at + ".quantity " + q + " is out of range (|quantity| < 10^" + (BigDecimal.valueOf(MAX_QUANTITY).precision() - 1) + ")");
    } else {
      quantity = q.decimalValue().longValueExact();
    }
    BigDecimal unitPrice = amount(item, at, "unit_price", true, f);
    BigDecimal discount = amount(item, at, "discount", false, f);
    BigDecimal gross = null;
    BigDecimal net = null;
    if (quantity != null && unitPrice != null && discount != null) {
      gross = gross(unitPrice, quantity);
      net = gross.subtract(discount);
    }
    return RowFactory.create(lineNo, sku, quantity, unitPrice, discount, gross, net);
  }

  private BigDecimal amount(JsonNode item, String at, String name, boolean required, EventFields f) {
    JsonNode n = item.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        f.issue(MISSING_REQUIRED_FIELD, at + "." + name + " is missing");
        return null;
      }
      return contractAmount(BigDecimal.ZERO);
    }
    if (!n.isNumber()) {
      f.issue(SCHEMA_VIOLATION, at + "." + name + " must be a number, got " + n);
      return null;
    }
    BigDecimal v = n.decimalValue();
    if (!hasContractScale(v)) {
      f.issue(SCHEMA_VIOLATION, at + "." + name + " " + n + " has more than " + PRICE_SCALE + " decimals");
      return null;
    }
    if (!isInContractRange(v)) {
      f.issue(SCHEMA_VIOLATION, at + "." + name + " " + n + " is out of range (< 10^" + (MAX_PRICE.precision() - 1) + ")");
      return null;
    }
    return v.setScale(PRICE_SCALE);
  }

  static boolean isContractQuantity(BigDecimal q) {
    return q.abs().compareTo(BigDecimal.valueOf(MAX_QUANTITY)) < 0;
  }

  static boolean isContractQuantity(long q) {
    return q > -MAX_QUANTITY && q < MAX_QUANTITY;
  }

  private static boolean hasContractScale(BigDecimal amount) {
    return amount.stripTrailingZeros().scale() <= PRICE_SCALE;
  }

  private static boolean isInContractRange(BigDecimal amount) {
    return amount.abs().compareTo(MAX_PRICE) < 0;
  }

  /** An amount at the contract's scale, or null when it has too many decimals or is out of range. */
  static BigDecimal contractAmount(BigDecimal amount) {
    return hasContractScale(amount) && isInContractRange(amount) ? amount.setScale(PRICE_SCALE) : null;
  }

  static BigDecimal gross(BigDecimal unitPrice, long quantity) {
    return unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(PRICE_SCALE);
  }

  private static String requiredString(JsonNode parent, String name, EventFields f) {
    return requiredString(parent, name, name, f);
  }

  private static String requiredString(JsonNode parent, String path, String name, EventFields f) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
      f.issue(MISSING_REQUIRED_FIELD, path + " is missing");
      return null;
    }
    if (!n.isTextual()) {
      f.issue(SCHEMA_VIOLATION, path + " must be a string, got a " + kind(n));
      return null;
    }
    return n.asText();
  }

  private static String optionalString(JsonNode parent, String path, String name, EventFields f) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      f.issue(SCHEMA_VIOLATION, path + " must be a string, got a " + kind(n));
      return n.isValueNode() ? n.asText() : null;
    }
    return n.asText();
  }

  private static String optionalEnum(JsonNode parent, String name, Set<String> allowed, EventFields f) {
    String v = optionalString(parent, name, name, f);
    if (v != null && !allowed.contains(v)) {
      f.issue(SCHEMA_VIOLATION, name + " '" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
      return null;
    }
    return v;
  }

  private static JsonNode optionalObject(JsonNode parent, String name, EventFields f) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      f.issue(SCHEMA_VIOLATION, name + " must be an object, got a " + kind(n));
      return null;
    }
    return n;
  }

  /** JSON with sorted keys and normalized numbers: equal content gives equal text whatever the formatting. */
  static String canonical(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    canonical(n, sb);
    return sb.toString();
  }

  private static void canonical(JsonNode n, StringBuilder sb) {
    if (n.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      n.fields().forEachRemaining(en -> sorted.put(en.getKey(), en.getValue()));
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> en : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        JsonObjectText.quote(en.getKey(), sb).append(':');
        canonical(en.getValue(), sb);
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        canonical(n.get(i), sb);
      }
      sb.append(']');
    } else if (n.isNumber()) {
      sb.append(canonicalNumber(n.decimalValue()));
    } else if (n.isTextual()) {
      JsonObjectText.quote(n.textValue(), sb);
    } else {
      sb.append(n);
    }
  }

  static String canonicalNumber(BigDecimal d) {
    return d.signum() == 0 ? "0" : plain(d);
  }

  /** Digits without an exponent, except where that would take more than a thousand digits (1e999999999). */
  private static String plain(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    return Math.abs((long) stripped.scale()) <= 1000 ? stripped.toPlainString() : stripped.toString();
  }

  private String hash(String s) {
    byte[] d = sha256.digest(s.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 16);
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "array";
      case OBJECT -> "object";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case NULL, MISSING -> "null";
      default -> n.getNodeType().name().toLowerCase();
    };
  }
}
