package io.tillstream.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.privacy.PiiTokenizer;
import io.tillstream.testing.TestData;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class EventParserTest {
  private final EventParser parser = new EventParser(new PiiTokenizer(TestData.KEY));

  private static final String GOOD = "{\"schema_version\": 1, \"event_id\": \"e-1\", \"event_type\": \"sale\","
      + " \"event_time\": \"2025-03-01T10:15:30+01:00\", \"order_id\": \"o-123\", \"store_id\": \"FR-PARIS-01\","
      + " \"channel\": \"pos\", \"currency\": \"EUR\", \"customer\": {\"customer_id\": \"C042\","
      + " \"email\": \"ann@example.com\", \"phone\": \"+33-1-5555-0101\"}, \"payment\": {\"method\": \"card\","
      + " \"card_number\": \"4111111111111111\"}, \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 2,"
      + " \"unit_price\": 9.99, \"discount\": 1.00}, {\"sku\": \"SKU-2\", \"quantity\": 1, \"unit_price\": 5}],"
      + " \"note\": \"call ann@example.com\"}";

  private Row parse(String line) {
    return parser.parse("file:/in/a.jsonl", 7, line);
  }

  private static List<String> rules(Row r) {
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) r.get(r.fieldIndex("parse_issues"))) {
      out.add(((Row) o).getString(0));
    }
    return out;
  }

  private static List<String> details(Row r) {
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) r.get(r.fieldIndex("parse_issues"))) {
      out.add(((Row) o).getString(1));
    }
    return out;
  }

  @Test
  void goodEventHasTypedFieldsExactAmountsAndNoIssues() {
    Row r = parse(GOOD);
    assertEquals(List.of(), rules(r));
    assertEquals("e-1", r.getAs("event_id"));
    assertEquals(Timestamp.from(Instant.parse("2025-03-01T09:15:30Z")), r.getAs("event_time"));
    assertEquals("card", r.getAs("payment_method"));
    assertEquals("1111", r.getAs("card_last4"));
    assertEquals(true, r.getAs("currency_is_iso"));
    Object[] items = (Object[]) r.getAs("items");
    Row first = (Row) items[0];
    assertEquals(1, first.getInt(0));
    assertEquals("SKU-1", first.getString(1));
    assertEquals(2L, first.getLong(2));
    assertEquals(new BigDecimal("9.990000"), first.getDecimal(3));
    assertEquals(new BigDecimal("19.980000"), first.getDecimal(5));
    assertEquals(new BigDecimal("18.980000"), first.getDecimal(6));
    Row second = (Row) items[1];
    assertEquals(new BigDecimal("0.000000"), second.getDecimal(4), "absent discount is 0");
    assertEquals(new BigDecimal("5.000000"), second.getDecimal(6));
  }

  @Test
  void personalDataIsTokenizedInTheKeptRecordAndTokensAreStable() {
    Row r = parse(GOOD);
    String raw = r.getAs("raw_record");
    for (String clear : List.of("ann@example.com", "5555-0101", "4111111111111111", "C042")) {
      assertFalse(raw.contains(clear), clear + " must not be kept: " + raw);
    }
    PiiTokenizer t = new PiiTokenizer(TestData.KEY);
    assertEquals(t.token(PiiTokenizer.Kind.CUSTOMER, "C042"), r.getAs("customer_token"));
    assertTrue(raw.contains(t.token(PiiTokenizer.Kind.EMAIL, "ANN@example.com ")), raw);
    assertEquals(t.token(PiiTokenizer.Kind.CARD, "4111 1111 1111 1111"), r.getAs("card_token"));
    assertTrue(raw.contains("\"card_last4\":\"1111\""));
    assertEquals("test", r.getAs("pii_key_id"));
    assertEquals(32, ((String) r.getAs("card_token")).length());
  }

  @Test
  void contentHashIgnoresFormattingAndKeyOrderButNotValues() {
    String reordered = "{\"items\":[{\"unit_price\":9.990,\"sku\":\"SKU-1\",\"quantity\":2,\"discount\":1},"
        + "{\"sku\":\"SKU-2\",\"quantity\":1,\"unit_price\":5.00}],\"note\":\"call ann@example.com\","
        + "\"event_id\":\"e-1\",\"schema_version\":1,\"event_type\":\"sale\",\"event_time\":\"2025-03-01T10:15:30+01:00\","
        + "\"order_id\":\"o-123\",\"store_id\":\"FR-PARIS-01\",\"channel\":\"pos\",\"currency\":\"EUR\","
        + "\"customer\":{\"phone\":\"+33-1-5555-0101\",\"email\":\"ann@example.com\",\"customer_id\":\"C042\"},"
        + "\"payment\":{\"card_number\":\"4111111111111111\",\"method\":\"card\"}}";
    assertEquals((String) parse(GOOD).getAs("content_hash"), parse(reordered).getAs("content_hash"));
    assertNotEquals((String) parse(GOOD).getAs("content_hash"),
        parse(GOOD.replace("\"quantity\": 2", "\"quantity\": 3")).getAs("content_hash"));
  }

  @Test
  void malformedLinesAreMaskedAndReported() {
    Row r = parse("{\"event_id\": \"e-2\", \"customer\": {\"email\": \"bob@example.com\", \"phone\": \"+1 555 0100\"},"
        + " \"payment\": {\"card_number\": \"5500 0000 0000 0004\"");
    assertEquals(List.of("malformed_record"), rules(r));
    String raw = r.getAs("raw_record");
    assertFalse(raw.contains("bob@example.com"), raw);
    assertFalse(raw.contains("555 0100"), raw);
    assertFalse(raw.contains("5500 0000 0000 0004"), raw);
    assertNull(r.getAs("content_hash"));
    assertEquals(List.of("malformed_record"), rules(parse("[1, 2]")));
    assertEquals(List.of("malformed_record"), rules(parse("not json at all")));
    assertEquals(List.of("malformed_record"), rules(parse(GOOD + " trailing")));
  }

  @Test
  void wrongTypesAreSchemaViolations() {
    assertEquals(List.of("schema_violation"), rules(parse(GOOD.replace("\"quantity\": 2", "\"quantity\": \"two\""))));
    assertEquals(List.of("schema_violation"), rules(parse(GOOD.replace("\"quantity\": 2", "\"quantity\": 2.5"))));
    assertEquals(List.of(), rules(parse(GOOD.replace("\"quantity\": 2", "\"quantity\": 2.0"))), "2.0 is an integer");
    assertEquals(List.of("schema_violation"), rules(parse(GOOD.replace("9.99", "\"9.99\""))));
    assertEquals(List.of("schema_violation"), rules(parse(GOOD.replace("9.99", "9.9999999"))));
    assertEquals(List.of("schema_violation"), rules(parse(GOOD.replace("\"channel\": \"pos\"", "\"channel\": \"kiosk\""))));
    assertEquals(List.of("schema_violation"), rules(parse(GOOD.replace("\"method\": \"card\"", "\"method\": \"iou\""))));
    assertEquals(List.of("schema_violation"), rules(parse(GOOD.replace("\"event_id\": \"e-1\"", "\"event_id\": 1"))));
    Row itemsNotArray = parse(GOOD.replaceFirst("\"items\": \\[.*\\],", "\"items\": \"SKU-1\","));
    assertEquals(List.of("schema_violation"), rules(itemsNotArray));
    assertTrue(details(itemsNotArray).get(0).contains("items must be an array"));
  }

  @Test
  void missingRequiredFieldsAndBadTimestamps() {
    Row r = parse(GOOD.replace("\"store_id\": \"FR-PARIS-01\",", "").replace("\"order_id\": \"o-123\"", "\"order_id\": null"));
    assertEquals(List.of("missing_required_field", "missing_required_field"), rules(r));
    assertEquals(List.of("order_id is missing", "store_id is missing"), details(r));
    assertEquals(List.of("missing_required_field"), rules(parse(GOOD.replace("\"sku\": \"SKU-2\", ", ""))));
    assertEquals(List.of("invalid_timestamp"), rules(parse(GOOD.replace("+01:00", ""))));
    assertEquals(List.of("invalid_timestamp"), rules(parse(GOOD.replace("2025-03-01T10", "2025-13-45T99"))));
    assertEquals(List.of(), rules(parse(GOOD.replace("+01:00", "Z"))));
  }

  @Test
  void valueRulesAreLeftToTheSqlRules() {
    Row r = parse(GOOD.replace("\"quantity\": 2", "\"quantity\": -1").replace("\"currency\": \"EUR\"", "\"currency\": \"XXQ\"")
        .replace("\"event_type\": \"sale\"", "\"event_type\": \"exchange\""));
    assertEquals(List.of(), rules(r));
    assertEquals(false, r.getAs("currency_is_iso"));
    assertEquals(-1L, ((Row) ((Object[]) r.getAs("items"))[0]).getLong(2));
  }

  @Test
  void personalDataInTheWrongFieldsReachesNeitherTheRecordNorTheReasons() {
    Row r = parse(GOOD.replace("\"event_type\": \"sale\"", "\"event_type\": \"bob@example.com\"")
        .replace("\"quantity\": 2", "\"quantity\": \"call carol@example.com\"")
        .replace("\"channel\": \"pos\"", "\"channel\": \"4111 1111 1111 1111\"")
        .replace("\"sku\": \"SKU-2\"", "\"sku\": \"dan@example.com\"")
        .replace("\"method\": \"card\"", "\"method\": \"5500 0000 0000 0004\""));
    String everything = r.toString() + String.join("|", details(r));
    for (String clear : List.of("bob@example.com", "carol@example.com", "dan@example.com", "4111 1111 1111 1111",
        "5500 0000 0000 0004")) {
      assertFalse(everything.contains(clear), clear + " leaked: " + everything);
    }
    assertEquals(List.of("schema_violation", "schema_violation", "schema_violation"), rules(r));
    assertEquals("o-123", r.getAs("order_id"), "identifiers are left alone");
  }

  @Test
  void recordIdDependsOnSourceAndContent() {
    Row a = parser.parse("f", 1, GOOD);
    assertEquals((String) a.getAs("record_id"), parser.parse("f", 1, GOOD).getAs("record_id"));
    assertNotEquals((String) a.getAs("record_id"), parser.parse("f", 2, GOOD).getAs("record_id"));
  }
}
