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

  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  ByteLine append(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
    return this;
  }

  private static int digitCount(long v) {
    int d = 1;
    long t = v;
    while (t >= 10_000) {
      t /= 10_000;
      d += 4;
    }
    while (t >= 10) {
      t /= 10;
      d++;
    }
    return d;
  }

  /** Decimal digits of a non-negative value, left-padded with zeros to width. */
  ByteLine appendPadded(long v, int width) {
    if (v < 0) {
      throw new IllegalArgumentException("negative: " + v);
    }
    int total = Math.max(digitCount(v), width);
    ensure(total);
    byte[] b = buf;
    int p = len + total;
    while (v >= 100_000_000L) {
      int chunk = (int) (v % 100_000_000L);
      v /= 100_000_000L;
      for (int k = 0; k < 4; k++) {
        int r = chunk % 100;
        chunk /= 100;
        p -= 2;
        b[p] = DIGIT_PAIRS[2 * r];
        b[p + 1] = DIGIT_PAIRS[2 * r + 1];
      }
    }
    int iv = (int) v;
    while (iv >= 100) {
      int r = iv % 100;
      iv /= 100;
      p -= 2;
      b[p] = DIGIT_PAIRS[2 * r];
      b[p + 1] = DIGIT_PAIRS[2 * r + 1];
    }
    if (iv >= 10) {
      p -= 2;
      b[p] = DIGIT_PAIRS[2 * iv];
      b[p + 1] = DIGIT_PAIRS[2 * iv + 1];
    } else {
      b[--p] = (byte) ('0' + iv);
    }
    while (p > len) {
      b[--p] = '0';
    }
    len += total;
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
    buf[len++] = DIGIT_PAIRS[2 * v];
    buf[len++] = DIGIT_PAIRS[2 * v + 1];
    return this;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
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
