package io.tillstream.generate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable UTF-8 byte buffer for one output line (internal; faster than StringBuilder + encoding). */
final class ByteLine {
  byte[] buf;
  int len;

  ByteLine(int capacity) {
    buf = new byte[capacity];
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + extra, buf.length * 2));
    }
  }

  ByteLine append(char c) {
    if (c >= 0x80) {
      return append(String.valueOf(c));
    }
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  ByteLine append(String s) {
    int n = s.length();
    ensure(n);
    byte[] b = buf;
    int p = len;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) { // rare: encode the rest properly
        len = p;
        byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
        ensure(rest.length);
        System.arraycopy(rest, 0, buf, len, rest.length);
        len += rest.length;
        return this;
      }
      b[p++] = (byte) c;
    }
    len = p;
    return this;
  }

  ByteLine append(ByteLine other) {
    ensure(other.len);
    System.arraycopy(other.buf, 0, buf, len, other.len);
    len += other.len;
    return this;
  }

  /** Decimal digits of a non-negative value, left-padded with zeros to width. */
  ByteLine appendPadded(long v, int width) {
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    int total = Math.max(digits, width);
    ensure(total);
    int end = len + total;
    int p = end;
    do {
      buf[--p] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v > 0);
    while (p > len) {
      buf[--p] = '0';
    }
    len = end;
    return this;
  }

  ByteLine append(long v) {
    if (v < 0) {
      append('-');
      if (v == Long.MIN_VALUE) {
        return append("9223372036854775808");
      }
      v = -v;
    }
    return appendPadded(v, 1);
  }

  /** Two digits, 0-99. */
  ByteLine append2(int v) {
    ensure(2);
    buf[len++] = (byte) ('0' + v / 10);
    buf[len++] = (byte) ('0' + v % 10);
    return this;
  }

  int length() {
    return len;
  }

  void setLength(int n) {
    len = n;
  }

  byte byteAt(int i) {
    return buf[i];
  }

  int indexOf(String s) {
    outer:
    for (int i = 0; i + s.length() <= len; i++) {
      for (int k = 0; k < s.length(); k++) {
        if (buf[i + k] != (byte) s.charAt(k)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }
}
