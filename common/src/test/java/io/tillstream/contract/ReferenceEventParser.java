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
import com.fasterxml.jackson.databind.node.TextNode;
import io.tillstream.ingest.RawLines;
import io.tillstream.privacy.ReferenceJsonRedactor;
import io.tillstream.privacy.ReferencePiiTokenizer;
import io.tillstream.privacy.ReferencePiiTokenizer.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
 * Frozen copy of {@code io.tillstream.contract.EventParser} as of commit 011f0b9, before the parser was made faster: the oracle that
 * EventParserEquivalenceTest compares the production parser with. Do not change it to follow the production code.
 */
public final class ReferenceEventParser {
  private static final Set<String> CHANNELS = Set.of("pos", "web", "mobile");
  private static final Set<String> PAYMENT_METHODS = Set.of("card", "cash", "wallet", "voucher");
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
  private final ReferencePiiTokenizer tokenizer;
  private final ReferenceJsonRedactor redactor;
  private final MessageDigest sha256;

  public ReferenceEventParser(ReferencePiiTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.redactor = new ReferenceJsonRedactor(tokenizer, mapper, text -> eventTime(text) != null);
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
    Fields f = new Fields();
    JsonNode root = null;
    String text = value == null ? "" : stripBom(value);
    int replaced = text.indexOf('\uFFFD');
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
    try {
      return Timestamp.from(OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException ex) {
      return null;
    }
  }

  /** Issue details quote values from the record: they must not carry personal data either. */
  private Row[] maskedIssues(Fields f) {
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
  private void tokenize(Fields f) {
    f.customerToken = tokenizer.token(Kind.CUSTOMER, f.customerId);
    f.cardToken = tokenizer.token(Kind.CARD, f.card);
    f.cardLast4 = tokenizer.keepsTokens() && ReferencePiiTokenizer.isToken(f.card) ? f.givenCardLast4
        : ReferencePiiTokenizer.lastFour(f.card);
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

  private static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
  }

  private void read(ObjectNode e, Fields f) {
    JsonNode version = e.get("schema_version");
    if (version != null && !version.isNull() && !(version.isIntegralNumber() && version.asInt() == 1)) {
      f.issue(SCHEMA_VIOLATION, "schema_version " + version + " is not supported (expected 1)");
    }
    f.eventId = requiredString(e, "event_id", f);
    f.eventType = requiredString(e, "event_type", f);
    f.eventTimeText = requiredString(e, "event_time", f);
    if (f.eventTimeText != null) {
      f.eventTime = eventTime(f.eventTimeText);
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

  private void readItems(ObjectNode e, Fields f) {
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

  private Row readItem(JsonNode item, int lineNo, Fields f) {
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
    } else if (q.decimalValue().abs().compareTo(BigDecimal.valueOf(MAX_QUANTITY)) >= 0) {
      f.issue(SCHEMA_VIOLATION, at + ".quantity " + q + " is out of range (|quantity| < 10^" + (BigDecimal.valueOf(MAX_QUANTITY).precision() - 1) + ")");
    } else {
      quantity = q.decimalValue().longValueExact();
    }
    BigDecimal unitPrice = amount(item, at, "unit_price", true, f);
    BigDecimal discount = amount(item, at, "discount", false, f);
    BigDecimal gross = null;
    BigDecimal net = null;
    if (quantity != null && unitPrice != null && discount != null) {
      gross = unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(PRICE_SCALE);
      net = gross.subtract(discount);
    }
    return RowFactory.create(lineNo, sku, quantity, unitPrice, discount, gross, net);
  }

  private BigDecimal amount(JsonNode item, String at, String name, boolean required, Fields f) {
    JsonNode n = item.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        f.issue(MISSING_REQUIRED_FIELD, at + "." + name + " is missing");
        return null;
      }
      return BigDecimal.ZERO.setScale(PRICE_SCALE);
    }
    if (!n.isNumber()) {
      f.issue(SCHEMA_VIOLATION, at + "." + name + " must be a number, got " + n);
      return null;
    }
    BigDecimal v = n.decimalValue();
    if (v.stripTrailingZeros().scale() > PRICE_SCALE) {
      f.issue(SCHEMA_VIOLATION, at + "." + name + " " + n + " has more than " + PRICE_SCALE + " decimals");
      return null;
    }
    if (v.abs().compareTo(MAX_PRICE) >= 0) {
      f.issue(SCHEMA_VIOLATION, at + "." + name + " " + n + " is out of range (< 10^" + (MAX_PRICE.precision() - 1) + ")");
      return null;
    }
    return v.setScale(PRICE_SCALE);
  }

  private static String requiredString(JsonNode parent, String name, Fields f) {
    return requiredString(parent, name, name, f);
  }

  private static String requiredString(JsonNode parent, String path, String name, Fields f) {
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

  private static String optionalString(JsonNode parent, String path, String name, Fields f) {
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

  private static String optionalEnum(JsonNode parent, String name, Set<String> allowed, Fields f) {
    String v = optionalString(parent, name, name, f);
    if (v != null && !allowed.contains(v)) {
      f.issue(SCHEMA_VIOLATION, name + " '" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
      return null;
    }
    return v;
  }

  private static JsonNode optionalObject(JsonNode parent, String name, Fields f) {
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
        sb.append(TextNode.valueOf(en.getKey())).append(':');
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
      BigDecimal d = n.decimalValue();
      sb.append(d.signum() == 0 ? "0" : plain(d));
    } else {
      sb.append(n);
    }
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

  /** Mutable holder for one record's fields while it is read. */
  private static final class Fields {
    String eventId;
    String eventType;
    String eventTimeText;
    Timestamp eventTime;
    String orderId;
    String storeId;
    String channel;
    String currency;
    String customerId;
    String email;
    String phone;
    String paymentMethod;
    String card;
    String customerToken;
    String cardToken;
    String cardLast4;
    String givenCardLast4;
    Row[] items;
    final List<Row> issues = new ArrayList<>();

    void issue(String rule, String detail) {
      issues.add(RowFactory.create(rule, detail));
    }
  }
}
