package io.tillstream.contract;

import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads the contract's event_time: ISO-8601 with an offset ({@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}). */
final class EventTimes {
  private EventTimes() {}

  /** The instant of the text, or null when it is not ISO-8601 with an offset. */
  static Timestamp parse(String text) {
    String t = text.trim();
    Instant usual = usualForm(t);
    if (usual != null) {
      return Timestamp.from(usual);
    }
    try {
      return Timestamp.from(OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException ex) {
      return null;
    }
  }

  /**
   * The usual form, yyyy-MM-ddTHH:mm:ss then Z or +HH:MM/-HH:MM, read without the formatter (which cost a tenth of
   * a record); null for anything else, which the formatter decides, invalid dates and offsets included.
   */
  private static Instant usualForm(String t) {
    int n = t.length();
    if ((n != 20 && n != 25) || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
        || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return null;
    }
    int offsetSign = 0;
    if (n == 20 && t.charAt(19) != 'Z') {
      return null;
    }
    if (n == 25) {
      char sign = t.charAt(19);
      if ((sign != '+' && sign != '-') || t.charAt(22) != ':') {
        return null;
      }
      offsetSign = sign == '+' ? 1 : -1;
    }
    int[] fields = {digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10), digits(t, 11, 13), digits(t, 14, 16),
        digits(t, 17, 19), n == 25 ? digits(t, 20, 22) : 0, n == 25 ? digits(t, 23, 25) : 0};
    for (int v : fields) {
      if (v < 0) {
        return null;
      }
    }
    try {
      ZoneOffset offset = ZoneOffset.ofHoursMinutes(offsetSign * fields[6], offsetSign * fields[7]);
      return LocalDateTime.of(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]).toInstant(offset);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The number written by the ASCII digits from {@code from} to {@code to}, or -1. */
  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
