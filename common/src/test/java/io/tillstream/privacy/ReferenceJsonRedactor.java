package io.tillstream.privacy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tillstream.privacy.ReferencePiiTokenizer.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Frozen copy of {@code io.tillstream.privacy.JsonRedactor} as of commit 011f0b9, before the parser was made faster: the oracle that
 * EventParserEquivalenceTest compares the production parser with. Do not change it to follow the production code.
 */
public final class ReferenceJsonRedactor {
  /** Marks text that was withheld because it could not be read as JSON. */
  public static final String WITHHELD = "…[rest withheld: not valid JSON]";
  static final int MAX_STRING_DEPTH = 3;
  private static final String WITHHELD_STRING = "…[withheld: JSON nested in strings too deep]";
  /** The contract's amounts are below 10^9 (quantities below 10^6). */
  private static final BigDecimal MAX_CONTRACT_AMOUNT = new BigDecimal("1000000000");
  private static final String ARRAY = "[]";
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
  private static final Pattern PLAIN_NAME = Pattern.compile("'[A-Za-z_][A-Za-z0-9_]{0,63}'");

  private enum Position { IDENTIFIER, TIMESTAMP, AMOUNT, FREE }

  private static final Map<List<String>, Position> CONTRACT = Map.of(
      List.of("event_id"), Position.IDENTIFIER,
      List.of("order_id"), Position.IDENTIFIER,
      List.of("store_id"), Position.IDENTIFIER,
      List.of("items", ARRAY, "sku"), Position.IDENTIFIER,
      List.of("event_time"), Position.TIMESTAMP,
      List.of("schema_version"), Position.AMOUNT,
      List.of("items", ARRAY, "quantity"), Position.AMOUNT,
      List.of("items", ARRAY, "unit_price"), Position.AMOUNT,
      List.of("items", ARRAY, "discount"), Position.AMOUNT);

  /** Field names of personal data, lower case without separators. */
  private static final Map<String, Kind> PII_NAMES = Map.ofEntries(
      Map.entry("email", Kind.EMAIL), Map.entry("emailaddress", Kind.EMAIL), Map.entry("mail", Kind.EMAIL),
      Map.entry("phone", Kind.PHONE), Map.entry("phonenumber", Kind.PHONE), Map.entry("mobile", Kind.PHONE),
      Map.entry("telephone", Kind.PHONE), Map.entry("tel", Kind.PHONE), Map.entry("msisdn", Kind.PHONE),
      Map.entry("cardnumber", Kind.CARD), Map.entry("cardno", Kind.CARD), Map.entry("card", Kind.CARD),
      Map.entry("pan", Kind.CARD), Map.entry("creditcard", Kind.CARD), Map.entry("ccnumber", Kind.CARD),
      Map.entry("customerid", Kind.CUSTOMER), Map.entry("custid", Kind.CUSTOMER),
      Map.entry("clientid", Kind.CUSTOMER), Map.entry("customer", Kind.CUSTOMER));

  private final ReferencePiiTokenizer tokenizer;
  private final ObjectMapper mapper;
  /** Reads one value in the middle of a token stream (the mapper would insist on the end of the text after it). */
  private final ObjectReader valueReader;
  private final Predicate<String> validTimestamp;

  /** {@code validTimestamp}: the contract's test of an event_time text (a valid one is kept). */
  public ReferenceJsonRedactor(ReferencePiiTokenizer tokenizer, ObjectMapper mapper, Predicate<String> validTimestamp) {
    this.tokenizer = tokenizer;
    this.mapper = mapper;
    this.valueReader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.validTimestamp = validTimestamp;
  }

  /** The kind of personal data a field of this name holds, or null. */
  public static Kind piiKind(String fieldName) {
    StringBuilder letters = new StringBuilder(fieldName.length());
    for (int i = 0; i < fieldName.length(); i++) {
      char c = Character.toLowerCase(fieldName.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        letters.append(c);
      }
    }
    return PII_NAMES.get(letters.toString());
  }

  /** Redacts a parsed record; objects and arrays are changed in place, the (possibly new) root is returned. */
  public JsonNode redact(JsonNode root) {
    return redact(root, new ArrayList<>(), 0);
  }

  private JsonNode redact(JsonNode n, List<String> path, int stringDepth) {
    if (n instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        path.add(name);
        JsonNode redacted = redactAt(o.get(name), path, stringDepth);
        path.remove(path.size() - 1);
        String maskedName = tokenizer.maskFreeText(name);
        if (!maskedName.equals(name)) {
          o.remove(name);
        }
        o.set(maskedName, redacted);
      }
      return o;
    }
    if (n instanceof ArrayNode a) {
      path.add(ARRAY);
      for (int i = 0; i < a.size(); i++) {
        a.set(i, redact(a.get(i), path, stringDepth));
      }
      path.remove(path.size() - 1);
      return a;
    }
    Position position = CONTRACT.getOrDefault(path, Position.FREE);
    if (n.isTextual()) {
      String text = n.asText();
      String redacted = switch (position) {
        case IDENTIFIER -> tokenizer.maskEmails(text);
        case TIMESTAMP -> validTimestamp.test(text) ? text : redactString(text, stringDepth);
        default -> redactString(text, stringDepth);
      };
      return redacted.equals(text) ? n : TextNode.valueOf(redacted);
    }
    if (n.isNumber()) {
      if (position == Position.AMOUNT && n.decimalValue().abs().compareTo(MAX_CONTRACT_AMOUNT) < 0) {
        return n;
      }
      String masked = tokenizer.maskFreeText(n.asText());
      return masked.equals(n.asText()) ? n : TextNode.valueOf(masked);
    }
    return n;
  }

  /** A field's value, {@code path} ending with the field's name: personal data by name, or redacted within. */
  private JsonNode redactAt(JsonNode value, List<String> path, int stringDepth) {
    String name = path.get(path.size() - 1);
    Kind kind = name.equals(ARRAY) ? null : piiKind(name);
    if (kind == Kind.CUSTOMER && value instanceof ObjectNode customer) {
      return tokenizeValues(customer);
    }
    return kind != null ? tokenNode(kind, value) : redact(value, path, stringDepth);
  }

  /** A customer object: every value is personal data. */
  private ObjectNode tokenizeValues(ObjectNode customer) {
    ObjectNode out = customer.objectNode();
    customer.fields().forEachRemaining(e -> {
      Kind kind = piiKind(e.getKey());
      out.set(tokenizer.maskFreeText(e.getKey()), tokenNode(kind == null ? Kind.CUSTOMER : kind, e.getValue()));
    });
    return out;
  }

  private JsonNode tokenNode(Kind kind, JsonNode value) {
    if (value == null || value.isNull() || value.isBoolean()) {
      return value;
    }
    return TextNode.valueOf(tokenizer.token(kind, value.isValueNode() ? value.asText() : value.toString()));
  }

  /** A string value outside the contract's fields: JSON inside it is redacted as JSON, anything else as text. */
  private String redactString(String text, int stringDepth) {
    String t = text.strip();
    boolean looksLikeJson = t.startsWith("{") || t.startsWith("[") || t.startsWith("\"");
    if (!looksLikeJson) {
      return tokenizer.maskFreeText(text);
    }
    if (stringDepth >= MAX_STRING_DEPTH) {
      return WITHHELD_STRING;
    }
    try {
      JsonNode inner = mapper.readTree(t);
      return mapper.writeValueAsString(redact(inner, new ArrayList<>(), stringDepth + 1));
    } catch (JsonProcessingException e) {
      return t.startsWith("\"") ? tokenizer.maskFreeText(text) : redactUnparsed(text, stringDepth + 1);
    }
  }

  /** Text that is not valid JSON: the part a JSON reader gets through, redacted, then {@link #WITHHELD}. */
  public String redactUnparsed(String text) {
    return redactUnparsed(text, 0);
  }

  private String redactUnparsed(String text, int stringDepth) {
    // Replaying our own output: the prefix was complete when it was written, so nothing in it is cut off.
    boolean ownOutput = tokenizer.keepsTokens() && text.endsWith(WITHHELD);
    String body = ownOutput ? text.substring(0, text.length() - WITHHELD.length()).stripTrailing() : text;
    String prefix = new PrefixWriter(body, stringDepth, !ownOutput).write();
    return prefix.isEmpty() ? WITHHELD : prefix + " " + WITHHELD;
  }

  /** A description of a JSON syntax error that quotes nothing from the text. */
  public String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    // Jackson quotes the offending token ('C00001448', maybe a customer id): never kept. Other quotes are kept when
    // they are single characters ('}') or plain names (a duplicate field), which help and hold no personal data.
    String quoteless = QUOTED.matcher(message.replaceAll("\\s+", " ").replaceAll("(Unrecognized token) '[^']*'",
        "$1 '…'")).replaceAll(m -> m.group().length() <= 3 || PLAIN_NAME.matcher(m.group()).matches()
            ? Matcher.quoteReplacement(m.group()) : m.group().charAt(0) + "…" + m.group().charAt(0));
    String at = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
    return "invalid JSON" + at + ": " + tokenizer.maskFreeText(quoteless);
  }

  /** Re-writes the readable prefix of a text token by token, redacting each value like {@link #redact}. */
  private final class PrefixWriter {
    private final String text;
    private final int stringDepth;
    private final boolean dropNumberAtEnd;
    private final StringBuilder out = new StringBuilder();
    /** Per open object/array: whether a value was written (a comma comes before the next). */
    private final Deque<boolean[]> scopes = new ArrayDeque<>();
    private String pendingName;
    private int lengthBeforeLastValue;
    private String lastNumber;

    PrefixWriter(String text, int stringDepth, boolean dropNumberAtEnd) {
      this.text = text;
      this.stringDepth = stringDepth;
      this.dropNumberAtEnd = dropNumberAtEnd;
    }

    String write() {
      try (JsonParser p = mapper.createParser(text)) {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          lastNumber = null;
          if (t == JsonToken.FIELD_NAME) {
            pendingName = p.currentName();
          } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
            scopes.pop();
            out.append(t == JsonToken.END_OBJECT ? '}' : ']');
          } else if (t.isStructStart() && !isPersonalDataField()) {
            value(t == JsonToken.START_OBJECT ? "{" : "[");
            scopes.push(new boolean[] {false});
          } else {
            // A scalar, or a whole object/array named like personal data: read it whole, redact it as a tree.
            List<String> path = path(t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext());
            String number = t.isNumeric() ? p.getText() : null;
            JsonNode node = valueReader.readTree(p);
            value((path.isEmpty() ? redact(node, path, stringDepth) : redactAt(node, path, stringDepth)).toString());
            lastNumber = number;
          }
        }
      } catch (IOException | RuntimeException e) {
        if (dropNumberAtEnd && lastNumber != null && e instanceof JsonEOFException
            && text.stripTrailing().endsWith(lastNumber)) {
          out.setLength(lengthBeforeLastValue); // the text may have been cut inside this number
        }
      }
      return out.toString();
    }

    private boolean isPersonalDataField() {
      return pendingName != null && piiKind(pendingName) != null;
    }

    /** Writes one value with its comma and pending field name. */
    private void value(String json) {
      lengthBeforeLastValue = out.length();
      boolean[] scope = scopes.peek();
      if (scope == null) {
        if (out.length() > 0) {
          out.append(' ');
        }
      } else {
        if (scope[0]) {
          out.append(',');
        }
        scope[0] = true;
      }
      if (pendingName != null) {
        out.append(TextNode.valueOf(tokenizer.maskFreeText(pendingName))).append(':');
        pendingName = null;
      }
      out.append(json);
    }
  }

  /** Field names and array steps from the root down to the current entry of {@code context}, as redact tracks. */
  private static List<String> path(JsonStreamContext context) {
    Deque<String> steps = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      steps.push(c.inArray() ? ARRAY : String.valueOf(c.getCurrentName()));
    }
    return new ArrayList<>(steps);
  }
}
