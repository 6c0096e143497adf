package io.tillstream.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tillstream.privacy.PiiKey;
import io.tillstream.privacy.PiiTokenizer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Hostile inputs decided by the parser itself (docs/reliability.md, "Parser cases"). */
class EventParserHostileTest {
  private static final PiiKey KEY = PiiKey.of("t", "test-only-key-0123456789abcdef");
  private final EventParser parser = new EventParser(new PiiTokenizer(KEY));

  private static String sale(String unitPrice, String extra) {
    return "{\"schema_version\":1,\"event_id\":\"E\",\"event_type\":\"sale\",\"event_time\":\"2025-03-03T10:00:00Z\","
        + "\"order_id\":\"O\",\"store_id\":\"NL-AMS-01\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"SKU-1\","
        + "\"quantity\":1,\"unit_price\":" + unitPrice + "}]" + extra + "}";
  }

  private List<String> issues(String value) {
    Row r = parser.parse("f", 1, value);
    return Arrays.stream((Object[]) r.getAs("parse_issues")).map(Object::toString).toList();
  }

  @Test
  void aHugeExponentIsOutOfRangeWithoutExpandingTheNumber() {
    // Written out, 1e999999999 is a billion digits: the content hash must not expand it. Its digit run is masked
    // in the reason like any run of 7 or more digits from a record.
    List<String> got = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> issues(sale("1e999999999", "")));
    assertEquals(List.of("[schema_violation,items[1].unit_price 1Etok:" + new PiiTokenizer(KEY).token(PiiTokenizer.Kind.PHONE, "+999999999")
        + " is out of range (< 10^9)]"), got);
    List<String> inExtraField = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> issues(sale("2.5", ",\"x\":1e-999999999")));
    assertEquals(List.of(), inExtraField);
  }

  @Test
  void aReplacementCharacterFromInvalidUtf8IsAMalformedRecord() {
    // RawLines (and Spark's binary-to-string cast for Kafka) decode invalid UTF-8 bytes as U+FFFD.
    assertEquals(List.of("[malformed_record,the record is not valid UTF-8 (U+FFFD at character 213)]"),
        issues(sale("2.5", ",\"note\":\"caf\uFFFD\"")));
  }

  @Test
  void theReadersNoteOnAnUnreadableRestIsTheReasonAndTheLineReadSoFarIsRedacted() {
    Row r = parser.parse("f", 3, io.tillstream.ingest.RawLines.READ_ERROR
        + "EOFException: Unexpected end of input stream; the line read so far: {\"phone\":\"+31 6 1234");
    assertEquals(List.of("[malformed_record,cannot read the input from this line on: EOFException: Unexpected end of"
        + " input stream]"), Arrays.stream((Object[]) r.getAs("parse_issues")).map(Object::toString).toList());
    assertEquals(io.tillstream.ingest.RawLines.READ_ERROR + "EOFException: Unexpected end of input stream { "
        + io.tillstream.privacy.JsonRedactor.WITHHELD, r.getAs("raw_record"));
  }
}
