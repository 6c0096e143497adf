package io.tillstream.contract;

import static io.tillstream.contract.JsonObjectText.quote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tillstream.privacy.JsonRedactor;
import io.tillstream.privacy.PiiTokenizer;
import io.tillstream.privacy.PiiTokenizer.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The fast path of {@link EventParser}: one streaming pass over a record of the contract's usual shape, which
 * reads the typed fields and writes the redacted raw_record and the canonical text of content_hash without
 * building a tree. The usual shape: only the contract's fields, each at most once and of its type, nothing a
 * rule would report, and nothing for the redactor to change but the personal data fields. Any other record is
 * refused and the parser takes its tree path, whose output this pass reproduces exactly
 * (EventParserEquivalenceTest compares the two).
 */
final class UsualShapeReader {
  /** The record as the tree path would return it. */
  record UsualRecord(EventFields fields, String rawRecord, String canonical) {}

  /** The record is not of the usual shape. Thrown without a stack trace: refusing must stay cheap. */
  private static final class Refused extends Exception {
    Refused() {
      super(null, null, false, false);
    }
  }

  private static final Refused REFUSED = new Refused();
  private static final String NULL = "null";

  private final JsonFactory factory;
  private final PiiTokenizer tokenizer;
  private final JsonRedactor redactor;

  /** {@code factory}: the tree path's, so that both read the same JSON. */
  UsualShapeReader(JsonFactory factory, PiiTokenizer tokenizer, JsonRedactor redactor) {
    this.factory = factory;
    this.tokenizer = tokenizer;
    this.redactor = redactor;
  }

  /** The record, or null when it is not of the usual shape. */
  UsualRecord read(String text) {
    try (JsonParser p = factory.createParser(text)) {
      // A duplicate key is an error of the tree path: refused below by nextName, cheaper than Jackson's HashSets.
      p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      EventFields f = new EventFields();
      JsonObjectText event = readEvent(p, f);
      if (p.nextToken() != null) {
        return null; // trailing content: the tree path reports it
      }
      return new UsualRecord(f, event.written(), event.canonical());
    } catch (Refused | IOException | RuntimeException e) {
      return null;
    }
  }

  private JsonObjectText readEvent(JsonParser p, EventFields f) throws IOException, Refused {
    JsonObjectText event = new JsonObjectText();
    for (String name = nextName(p, event); name != null; name = nextName(p, event)) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "schema_version" -> event.add(name, schemaVersion(p, t));
        case "event_id" -> f.eventId = identifier(p, t, name, event);
        case "order_id" -> f.orderId = identifier(p, t, name, event);
        case "store_id" -> f.storeId = identifier(p, t, name, event);
        case "event_type" -> f.eventType = freeText(p, t, name, event);
        case "currency" -> f.currency = freeText(p, t, name, event);
        case "event_time" -> readEventTime(p, t, f, event);
        case "channel" -> f.channel = optionalEnum(p, t, EventParser.CHANNELS, name, event);
        case "customer" -> readCustomer(p, t, f, event);
        case "payment" -> readPayment(p, t, f, event);
        case "items" -> readItems(p, t, f, event);
        default -> throw REFUSED;
      }
    }
    if (f.eventId == null || f.orderId == null || f.storeId == null || f.eventType == null || f.currency == null
        || f.eventTime == null || f.items == null) {
      throw REFUSED;
    }
    return event;
  }

  /** The next member's name, or null at the end of the object; a name seen before in it is refused. */
  private static String nextName(JsonParser p, JsonObjectText object) throws IOException, Refused {
    String name = p.nextFieldName();
    if (name != null && object.has(name)) {
      throw REFUSED;
    }
    return name;
  }

  private static String schemaVersion(JsonParser p, JsonToken t) throws IOException, Refused {
    if (t == JsonToken.VALUE_NULL) {
      return NULL;
    }
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() != 1) {
      throw REFUSED;
    }
    return "1";
  }

  /** A required string the redactor keeps when it holds no e-mail (event_id, order_id, store_id, sku). */
  private static String identifier(JsonParser p, JsonToken t, String name, JsonObjectText into)
      throws IOException, Refused {
    String s = requiredString(p, t);
    if (s.indexOf('@') >= 0) {
      throw REFUSED;
    }
    into.add(name, quote(s));
    return s;
  }

  /** A required free-text string (event_type, currency) that holds nothing the redactor would mask. */
  private String freeText(JsonParser p, JsonToken t, String name, JsonObjectText into) throws IOException, Refused {
    String s = requiredString(p, t);
    keptFreeText(s);
    into.add(name, quote(s));
    return s;
  }

  private void keptFreeText(String s) throws Refused {
    if (!redactor.keepsFreeText(s)) {
      throw REFUSED;
    }
  }

  private static String requiredString(JsonParser p, JsonToken t) throws IOException, Refused {
    if (t != JsonToken.VALUE_STRING) {
      throw REFUSED;
    }
    String s = p.getText();
    if (s.isBlank()) {
      throw REFUSED;
    }
    return s;
  }

  private static void readEventTime(JsonParser p, JsonToken t, EventFields f, JsonObjectText into)
      throws IOException, Refused {
    f.eventTimeText = requiredString(p, t);
    f.eventTime = EventParser.eventTime(f.eventTimeText);
    if (f.eventTime == null) {
      throw REFUSED;
    }
    into.add("event_time", quote(f.eventTimeText));
  }

  /** An optional value from a fixed set (channel, payment method): none of them is free text to mask. */
  private static String optionalEnum(JsonParser p, JsonToken t, Set<String> allowed, String name,
      JsonObjectText into) throws IOException, Refused {
    if (t == JsonToken.VALUE_NULL) {
      into.add(name, NULL);
      return null;
    }
    if (t != JsonToken.VALUE_STRING || !allowed.contains(p.getText())) {
      throw REFUSED;
    }
    into.add(name, quote(p.getText()));
    return p.getText();
  }

  /** Personal data throughout: each value becomes its token. */
  private void readCustomer(JsonParser p, JsonToken t, EventFields f, JsonObjectText event)
      throws IOException, Refused {
    if (t == JsonToken.VALUE_NULL) {
      event.add("customer", NULL);
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      throw REFUSED;
    }
    JsonObjectText customer = new JsonObjectText();
    for (String name = nextName(p, customer); name != null; name = nextName(p, customer)) {
      Kind kind = switch (name) {
        case "customer_id" -> Kind.CUSTOMER;
        case "email" -> Kind.EMAIL;
        case "phone" -> Kind.PHONE;
        default -> throw REFUSED;
      };
      String value = optionalString(p, p.nextToken());
      String token = tokenizer.token(kind, value);
      customer.add(name, token == null ? NULL : quote(token));
      if (kind == Kind.CUSTOMER) {
        f.customerId = value;
        f.customerToken = token;
      }
    }
    event.add("customer", customer.written(), customer.canonical());
  }

  private static String optionalString(JsonParser p, JsonToken t) throws IOException, Refused {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw REFUSED;
    }
    return p.getText();
  }

  private void readPayment(JsonParser p, JsonToken t, EventFields f, JsonObjectText event)
      throws IOException, Refused {
    if (t == JsonToken.VALUE_NULL) {
      event.add("payment", NULL);
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      throw REFUSED;
    }
    JsonObjectText payment = new JsonObjectText();
    for (String name = nextName(p, payment); name != null; name = nextName(p, payment)) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "method" -> f.paymentMethod = optionalEnum(p, value, EventParser.PAYMENT_METHODS, name, payment);
        case "card_number" -> {
          f.card = optionalString(p, value);
          f.cardToken = tokenizer.token(Kind.CARD, f.card);
          payment.add(name, f.cardToken == null ? NULL : quote(f.cardToken));
        }
        case "card_last4" -> {
          f.givenCardLast4 = optionalString(p, value);
          if (f.givenCardLast4 != null) {
            keptFreeText(f.givenCardLast4);
          }
          payment.add(name, f.givenCardLast4 == null ? NULL : quote(f.givenCardLast4));
        }
        default -> throw REFUSED;
      }
    }
    f.cardLast4 = EventParser.cardLast4(tokenizer, f.card, f.givenCardLast4);
    if (f.cardToken != null) {
      payment.put("card_last4", f.cardLast4 == null ? NULL : quote(f.cardLast4));
    }
    event.add("payment", payment.written(), payment.canonical());
  }

  private static void readItems(JsonParser p, JsonToken t, EventFields f, JsonObjectText event)
      throws IOException, Refused {
    if (t != JsonToken.START_ARRAY) {
      throw REFUSED;
    }
    List<Row> rows = new ArrayList<>();
    List<String> written = new ArrayList<>();
    List<String> canonical = new ArrayList<>();
    for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
      if (item != JsonToken.START_OBJECT) {
        throw REFUSED;
      }
      JsonObjectText text = new JsonObjectText();
      rows.add(readItem(p, rows.size() + 1, text));
      written.add(text.written());
      canonical.add(text.canonical());
    }
    f.items = rows.toArray(new Row[0]);
    event.add("items", JsonObjectText.array(written), JsonObjectText.array(canonical));
  }

  private static Row readItem(JsonParser p, int lineNo, JsonObjectText into) throws IOException, Refused {
    String sku = null;
    Long quantity = null;
    BigDecimal unitPrice = null;
    BigDecimal discount = EventParser.contractAmount(BigDecimal.ZERO);
    for (String name = nextName(p, into); name != null; name = nextName(p, into)) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "sku" -> sku = identifier(p, t, name, into);
        case "quantity" -> quantity = quantity(p, t, into);
        case "unit_price" -> unitPrice = amount(p, t, name, into);
        case "discount" -> {
          if (t == JsonToken.VALUE_NULL) {
            into.add(name, NULL);
          } else {
            discount = amount(p, t, name, into);
          }
        }
        default -> throw REFUSED;
      }
    }
    if (sku == null || quantity == null || unitPrice == null) {
      throw REFUSED;
    }
    BigDecimal gross = EventParser.gross(unitPrice, quantity);
    return RowFactory.create(lineNo, sku, quantity, unitPrice, discount, gross, gross.subtract(discount));
  }

  /** An integer token within the contract's range: a tree holds it as an int or long node. */
  private static Long quantity(JsonParser p, JsonToken t, JsonObjectText into) throws IOException, Refused {
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw REFUSED;
    }
    long q = p.getLongValue();
    if (!EventParser.isContractQuantity(q)) {
      throw REFUSED;
    }
    into.add("quantity", Long.toString(q));
    return q;
  }

  /** A number within the contract's range and precision, as the contract's type (scale 6). */
  private static BigDecimal amount(JsonParser p, JsonToken t, String name, JsonObjectText into)
      throws IOException, Refused {
    BigDecimal node;
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      node = BigDecimal.valueOf(p.getLongValue());
    } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      // Jackson's tree holds floats as BigDecimal without trailing zeros (JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      node = p.getDecimalValue().stripTrailingZeros();
    } else {
      throw REFUSED;
    }
    BigDecimal amount = EventParser.contractAmount(node);
    if (amount == null) {
      throw REFUSED;
    }
    String written = t == JsonToken.VALUE_NUMBER_INT ? Long.toString(p.getLongValue()) : node.toString();
    into.add(name, written, EventParser.canonicalNumber(node));
    return amount;
  }
}
