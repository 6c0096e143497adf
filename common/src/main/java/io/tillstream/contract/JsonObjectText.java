package io.tillstream.contract;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One JSON object written two ways from the same members: as Jackson writes a tree (members in order, for
 * raw_record) and as {@link EventParser#canonical} writes it (members sorted by name, for content_hash).
 */
final class JsonObjectText {
  private record Member(String name, String quotedName, String written, String canonical) {}

  /** The contract's objects have at most 11 members. */
  private final List<Member> members = new ArrayList<>(12);

  /** A member whose value is written the same way in both texts (a string, null, an object's own text). */
  void add(String name, String value) {
    add(name, value, value);
  }

  void add(String name, String writtenValue, String canonicalValue) {
    members.add(new Member(name, quote(name), writtenValue, canonicalValue));
  }

  /** Like {@code ObjectNode.put}: replaces the value of an existing member in place, or adds the member. */
  void put(String name, String value) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).name().equals(name)) {
        members.set(i, new Member(name, members.get(i).quotedName(), value, value));
        return;
      }
    }
    add(name, value);
  }

  boolean has(String name) {
    for (Member m : members) {
      if (m.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  String written() {
    return text(members, Member::written);
  }

  String canonical() {
    return text(sortedByName(), Member::canonical);
  }

  /** The members in the order of a TreeMap of their names (an insertion sort: these objects are small). */
  private List<Member> sortedByName() {
    List<Member> sorted = new ArrayList<>(members.size());
    for (Member m : members) {
      int i = sorted.size();
      while (i > 0 && sorted.get(i - 1).name().compareTo(m.name()) > 0) {
        i--;
      }
      sorted.add(i, m);
    }
    return sorted;
  }

  private static String text(List<Member> members, Function<Member, String> value) {
    int length = members.size() + 1;
    for (Member m : members) {
      length += m.quotedName().length() + 1 + value.apply(m).length();
    }
    StringBuilder sb = new StringBuilder(length).append('{');
    for (Member m : members) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(m.quotedName()).append(':').append(value.apply(m));
    }
    return sb.append('}').toString();
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

  static String quote(String s) {
    return needsEscapes(s) ? quote(s, new StringBuilder(s.length() + 8)).toString() : '"' + s + '"';
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

  /** A JSON array of already written values. */
  static String array(List<String> values) {
    return "[" + String.join(",", values) + "]";
  }
}
