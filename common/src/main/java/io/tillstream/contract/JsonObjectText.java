package io.tillstream.contract;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON object written two ways from the same members: as Jackson writes a tree (members in order, for
 * raw_record) and as {@link EventParser#canonical} writes it (members sorted by name, for content_hash).
 */
final class JsonObjectText {
  private final List<String> names = new ArrayList<>();
  private final List<String> quotedNames = new ArrayList<>();
  private final List<String> written = new ArrayList<>();
  private final List<String> canonical = new ArrayList<>();

  /** A member whose value is written the same way in both texts (a string, null, an object's own text). */
  void add(String name, String value) {
    add(name, value, value);
  }

  void add(String name, String writtenValue, String canonicalValue) {
    names.add(name);
    quotedNames.add(quote(name));
    written.add(writtenValue);
    canonical.add(canonicalValue);
  }

  /** Like {@code ObjectNode.put}: replaces the value of an existing member in place, or adds the member. */
  void put(String name, String value) {
    int i = names.indexOf(name);
    if (i < 0) {
      add(name, value);
    } else {
      written.set(i, value);
      canonical.set(i, value);
    }
  }

  String written() {
    StringBuilder sb = new StringBuilder(length(written)).append('{');
    for (int i = 0; i < names.size(); i++) {
      member(sb, i, written);
    }
    return sb.append('}').toString();
  }

  String canonical() {
    StringBuilder sb = new StringBuilder(length(canonical)).append('{');
    for (int i : sortedByName()) {
      member(sb, i, canonical);
    }
    return sb.append('}').toString();
  }

  private int length(List<String> values) {
    int n = names.size() + 1;
    for (int i = 0; i < names.size(); i++) {
      n += quotedNames.get(i).length() + 1 + values.get(i).length();
    }
    return n;
  }

  /** Member indexes in the order of a TreeMap of the names (an insertion sort: objects here are small). */
  private int[] sortedByName() {
    int[] order = new int[names.size()];
    for (int i = 0; i < order.length; i++) {
      int j = i;
      for (; j > 0 && names.get(order[j - 1]).compareTo(names.get(i)) > 0; j--) {
        order[j] = order[j - 1];
      }
      order[j] = i;
    }
    return order;
  }

  private void member(StringBuilder sb, int i, List<String> values) {
    if (sb.length() > 1) {
      sb.append(',');
    }
    sb.append(quotedNames.get(i)).append(':').append(values.get(i));
  }

  /** A JSON string literal, escaped as Jackson's generator escapes it (by default: controls, quote, backslash). */
  static StringBuilder quote(String s, StringBuilder sb) {
    sb.append('"');
    if (needsEscapes(s)) {
      JsonStringEncoder.getInstance().quoteAsString(s, sb);
    } else {
      sb.append(s);
    }
    return sb.append('"');
  }

  private static boolean needsEscapes(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  static String quote(String s) {
    return needsEscapes(s) ? quote(s, new StringBuilder(s.length() + 8)).toString() : '"' + s + '"';
  }

  /** A JSON array of already written values. */
  static String array(List<String> values) {
    return "[" + String.join(",", values) + "]";
  }
}
