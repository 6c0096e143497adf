package io.tillstream.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.contract.EventParser;
import io.tillstream.privacy.PiiTokenizer.Kind;
import io.tillstream.testing.HostileRecords;
import io.tillstream.testing.HostileRecords.Hostile;
import io.tillstream.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The redaction policy, through the parser that applies it: exact outputs, then 2,000 hostile variants. */
class JsonRedactorTest {
  private final PiiTokenizer tokenizer = new PiiTokenizer(TestData.KEY);
  private final EventParser parser = new EventParser(tokenizer);
  private final EventParser replayParser = new EventParser(new PiiTokenizer(TestData.KEY, true));

  private String raw(String line) {
    return parser.parse("f", 1, line).getAs("raw_record");
  }

  private String tok(Kind kind, String value) {
    return tokenizer.token(kind, value);
  }

  @Test
  void personalDataNamedFieldsLoseTheirValuesAtAnyDepthAndInAnySpelling() {
    assertEquals("[{\"x\":{\"customerId\":\"" + tok(Kind.CUSTOMER, "C1") + "\",\"E-Mail\":\""
        + tok(Kind.EMAIL, "a@b.org") + "\",\"tel\":\"" + tok(Kind.PHONE, "123") + "\"}}]",
        raw("[{\"x\":{\"customerId\":\"C1\",\"E-Mail\":\"a@b.org\",\"tel\":123}}]"));
    // an escaped key is the same key; a composite value becomes one token of its JSON text
    assertEquals("{\"phone\":\"" + tok(Kind.PHONE, "[\"1\",\"2\"]") + "\"}", raw("{\"\\u0070hone\":[\"1\",\"2\"]}"));
    // a customer given as a string is a customer id; a customer object is personal data throughout
    assertEquals("{\"customer\":\"" + tok(Kind.CUSTOMER, "C1") + "\"}", raw("{\"customer\":\"C1\"}"));
    assertEquals("{\"customer\":{\"name\":\"" + tok(Kind.CUSTOMER, "Ann") + "\",\"mail\":\""
        + tok(Kind.EMAIL, "a@b.org") + "\"}}", raw("{\"customer\":{\"name\":\"Ann\",\"mail\":\"a@b.org\"}}"));
  }

  @Test
  void jsonInsideStringsIsRedactedAsJson() {
    assertEquals("\"{\\\"phone\\\":\\\"" + tok(Kind.PHONE, "+31 6 1234 5678") + "\\\"}\"",
        raw("\"{\\\"phone\\\":\\\"+31 6 1234 5678\\\"}\""));
  }

  @Test
  void freeTextLosesEmailsCardAndPhoneRunsButKeepsDatesAndShortNumbers() {
    assertEquals("{\"note\":\"on 2025-03-01 call tok:" + tok(Kind.PHONE, "+31 6 1234 5678") + ", qty 12\"}",
        raw("{\"note\":\"on 2025-03-01 call +31 6 1234 5678, qty 12\"}"));
    assertEquals("{\"ref\":\"tok:" + tok(Kind.PHONE, "31612345678") + "\",\"n\":42}",
        raw("{\"ref\":31612345678,\"n\":42}"));
  }

  @Test
  void unparsableTextKeepsOnlyTheReadablePrefix() {
    // the customer object is cut inside: all of it is withheld, the complete fields before it are kept
    assertEquals("{\"event_id\":\"e-1\" " + JsonRedactor.WITHHELD,
        raw("{\"event_id\":\"e-1\",\"customer\":{\"customer_id\":\"C1\",\"phone\":\"+3161234"));
    // a number at the very end may be cut: withheld, with its name
    assertEquals("{\"a\":\"x\" " + JsonRedactor.WITHHELD, raw("{\"a\":\"x\",\"b\":316"));
    // a complete value after an escaped key, then garbage
    assertEquals("{\"email\":\"" + tok(Kind.EMAIL, "a@b.org") + "\" " + JsonRedactor.WITHHELD,
        raw("{\"\\u0065mail\":\"a@b.org\", C00001448 }"));
    assertEquals(JsonRedactor.WITHHELD, raw("C00001448,ann@example.org,+31612345678"));
  }

  @Test
  void parseErrorsQuoteNothingFromTheText() {
    Row r = parser.parse("f", 1, "{\"customer_id\": C00001448}");
    String detail = ((Row) ((Object[]) r.getAs("parse_issues"))[0]).getString(1);
    assertTrue(detail.startsWith("invalid JSON at column "), detail);
    assertTrue(!detail.contains("00001448"), detail);
  }

  /** Renders every value of a parsed row, nested rows and arrays included. */
  private static void render(Object v, StringBuilder sb) {
    if (v instanceof Row r) {
      for (int i = 0; i < r.size(); i++) {
        render(r.get(i), sb);
      }
    } else if (v instanceof Object[] a) {
      for (Object o : a) {
        render(o, sb);
      }
    } else {
      sb.append(v).append('\n');
    }
  }

  @Test
  void noPersonalDataInAnyOf2000HostileVariantsAndReplayingTheRedactedRecordChangesNothing() {
    List<String> failures = new ArrayList<>();
    for (Hostile h : new HostileRecords(20261201L).next(2000)) {
      // what a file reader hands over: the bytes decoded as UTF-8 with replacement characters
      String line = new String(h.line(), StandardCharsets.UTF_8);
      Row r = parser.parse("file:/in/hostile.jsonl", 3, line);
      StringBuilder out = new StringBuilder();
      render(r, out);
      List<String> leaks = HostileRecords.leaks(out.toString(), h.secrets());
      if (!leaks.isEmpty()) {
        failures.add(h.shape() + " leaks " + leaks + " in " + out);
        continue;
      }
      Row again = replayParser.parse("file:/in/hostile.jsonl", 3, r.getAs("raw_record"));
      for (String field : List.of("record_id", "raw_record", "content_hash", "customer_token", "card_token",
          "card_last4", "event_id")) {
        if (!java.util.Objects.equals(r.getAs(field), again.getAs(field))) {
          failures.add(h.shape() + ": replay changes " + field + " from " + r.getAs(field) + " to "
              + again.getAs(field) + " for " + line);
        }
      }
    }
    assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())), failures.size() + " failures");
  }

  @Test
  void theLeakCheckFindsValuesAndGroupedDigitRuns() {
    List<String> secrets = List.of("C123456789", "+31 6 1234 5678");
    assertEquals(List.of("C123456789"), HostileRecords.leaks("x c123456789 y", secrets));
    assertEquals(List.of("+31 6 1234 5678"), HostileRecords.leaks("tel 31-6-1234-5678", secrets));
    assertEquals(List.of(), HostileRecords.leaks("tok:0a1b 316 1234", secrets));
  }
}
