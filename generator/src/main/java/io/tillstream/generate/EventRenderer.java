package io.tillstream.generate;

/** Renders {@link SalesEvent}s as compact single-line JSON into a StringBuilder (internal, allocation-light). */
final class EventRenderer {
  private EventRenderer() {}

  static final int OMIT_EVENT_ID = 1, OMIT_ORDER_ID = 2, OMIT_STORE_ID = 4, OMIT_CURRENCY = 8, OMIT_EVENT_TIME = 16,
      OMIT_EVENT_TYPE = 32;

  /** Raw JSON replacements used to build defective lines; null fields mean "render normally". */
  static final class Overrides {
    int omit;
    String eventType;
    String eventTime;
    String storeId;
    String currency;
    String items;
    String quantity0;
    String unitPrice0;

    void reset() {
      omit = 0;
      eventType = eventTime = storeId = currency = items = quantity0 = unitPrice0 = null;
    }
  }

  private static final String[] FIRST = {"ann", "bruno", "chloe", "david", "emma", "felix", "giulia", "hugo", "ines",
      "jonas", "kenji", "lea", "marco", "nina", "oscar", "paula", "quentin", "rosa", "sam", "tara", "ugo", "vera",
      "william", "xenia", "yuki", "zoe", "amir", "beatriz", "carlos", "dana"};
  private static final String[] LAST = {"smith", "martin", "muller", "tanaka", "garcia", "rossi", "dubois", "schmidt",
      "johnson", "sato", "brown", "lefebvre", "wagner", "lopez", "kim", "nguyen", "moreau", "fischer", "taylor",
      "suzuki", "bernard", "weber", "clark", "ito", "petit", "becker", "lewis", "kato", "roux", "hall"};

  private static byte[] b(String s) {
    return ByteLine.ascii(s);
  }

  private static final byte[] HEAD = b("{\"schema_version\":1");
  private static final byte[] K_EVENT_ID = b(",\"event_id\":\"e-");
  private static final byte[] K_EVENT_TYPE = b(",\"event_type\":");
  private static final byte[] V_REFUND = b("\"refund\"");
  private static final byte[] V_SALE = b("\"sale\"");
  private static final byte[] K_EVENT_TIME = b(",\"event_time\":");
  private static final byte[] K_ORDER_ID = b(",\"order_id\":\"o-");
  private static final byte[] K_STORE_ID = b(",\"store_id\":");
  private static final byte[][] V_CHANNEL = new byte[SalesEvent.CHANNELS.length][];
  private static final byte[] K_CURRENCY = b(",\"currency\":");
  private static final byte[] K_CUSTOMER = b(",\"customer\":{\"customer_id\":\"C");
  private static final byte[] K_EMAIL = b("\",\"email\":");
  private static final byte[] K_PHONE = b(",\"phone\":");
  private static final byte[] V_NULL = b("null");
  private static final byte[] CUSTOMER_NULL = b(",\"customer\":null");
  private static final byte[][] V_PAYMENT = new byte[SalesEvent.METHODS.length][];
  private static final byte[] K_CARD = b(",\"card_number\":\"");
  private static final byte[] K_ITEMS = b("},\"items\":");
  private static final byte[] K_SKU = b("{\"sku\":\"");
  private static final byte[] K_QUANTITY = b("\",\"quantity\":");
  private static final byte[] K_UNIT_PRICE = b(",\"unit_price\":");
  private static final byte[] K_DISCOUNT = b(",\"discount\":");
  private static final byte[] EXAMPLE_COM = b("@example.com");
  private static final byte[][] V_STORE = new byte[ReferenceData.STORES.size()][];
  private static final byte[][] V_CURRENCY = new byte[ReferenceData.STORES.size()][];
  private static final byte[][] PHONE_PREFIX = new byte[ReferenceData.STORES.size()][];
  private static final byte[][] FIRST_B = new byte[FIRST.length][];
  private static final byte[][] LAST_B = new byte[LAST.length][];

  static {
    for (int i = 0; i < SalesEvent.CHANNELS.length; i++) {
      V_CHANNEL[i] = b(",\"channel\":\"" + SalesEvent.CHANNELS[i] + "\"");
    }
    for (int i = 0; i < SalesEvent.METHODS.length; i++) {
      V_PAYMENT[i] = b(",\"payment\":{\"method\":\"" + SalesEvent.METHODS[i] + "\"");
    }
    for (int i = 0; i < V_STORE.length; i++) {
      ReferenceData.Store st = ReferenceData.STORES.get(i);
      V_STORE[i] = b("\"" + st.id() + "\"");
      V_CURRENCY[i] = b("\"" + st.currencyCode() + "\"");
      PHONE_PREFIX[i] = b(st.phonePrefix() + "5");
    }
    for (int i = 0; i < FIRST.length; i++) {
      FIRST_B[i] = b(FIRST[i] + ".");
    }
    for (int i = 0; i < LAST.length; i++) {
      LAST_B[i] = b(LAST[i]);
    }
  }

  static void render(ByteLine sb, SalesEvent e, Overrides ov) {
    int omit = ov == null ? 0 : ov.omit;
    sb.append(HEAD);
    if ((omit & OMIT_EVENT_ID) == 0) {
      sb.append(K_EVENT_ID).appendPadded(e.seq, 9).append('"');
    }
    if ((omit & OMIT_EVENT_TYPE) == 0) {
      sb.append(K_EVENT_TYPE);
      if (ov != null && ov.eventType != null) {
        sb.append(ov.eventType);
      } else {
        sb.append(e.refund ? V_REFUND : V_SALE);
      }
    }
    if ((omit & OMIT_EVENT_TIME) == 0) {
      sb.append(K_EVENT_TIME);
      if (ov != null && ov.eventTime != null) {
        sb.append(ov.eventTime);
      } else {
        sb.append('"');
        appendLocalDateTime(sb, e.instant, e.offsetSeconds);
        sb.append(e.offsetText).append('"');
      }
    }
    if ((omit & OMIT_ORDER_ID) == 0) {
      sb.append(K_ORDER_ID).appendPadded(e.orderNo, 9).append('"');
    }
    if ((omit & OMIT_STORE_ID) == 0) {
      sb.append(K_STORE_ID);
      if (ov != null && ov.storeId != null) {
        sb.append(ov.storeId);
      } else {
        sb.append(V_STORE[e.store]);
      }
    }
    sb.append(V_CHANNEL[e.channel]);
    if ((omit & OMIT_CURRENCY) == 0) {
      sb.append(K_CURRENCY);
      if (ov != null && ov.currency != null) {
        sb.append(ov.currency);
      } else {
        sb.append(V_CURRENCY[e.store]);
      }
    }
    if (e.customerMode == SalesEvent.CUSTOMER_PRESENT) {
      sb.append(K_CUSTOMER).appendPadded(e.customerNo, 8).append(K_EMAIL);
      if (e.emailNull) {
        sb.append(V_NULL);
      } else {
        sb.append('"');
        appendEmail(sb, e.customerNo);
        sb.append('"');
      }
      sb.append(K_PHONE);
      if (e.phoneNull) {
        sb.append(V_NULL);
      } else {
        sb.append('"');
        appendPhone(sb, e.store, e.customerNo);
        sb.append('"');
      }
      sb.append('}');
    } else if (e.customerMode == SalesEvent.CUSTOMER_NULL) {
      sb.append(CUSTOMER_NULL);
    }
    sb.append(V_PAYMENT[e.method]);
    if (e.method == SalesEvent.CARD) {
      sb.append(K_CARD).appendPadded(e.card, 16).append('"');
    }
    sb.append(K_ITEMS);
    if (ov != null && ov.items != null) {
      sb.append(ov.items);
    } else {
      sb.append('[');
      for (int i = 0; i < e.itemCount; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(K_SKU).append(ReferenceData.ALL_SKU_BYTES[e.sku[i]]).append(K_QUANTITY);
        if (i == 0 && ov != null && ov.quantity0 != null) {
          sb.append(ov.quantity0);
        } else {
          sb.append((long) e.quantity[i]);
        }
        sb.append(K_UNIT_PRICE);
        if (i == 0 && ov != null && ov.unitPrice0 != null) {
          sb.append(ov.unitPrice0);
        } else {
          appendMoney(sb, e.unitPrice[i]);
        }
        if (e.discount[i] != -1) {
          sb.append(K_DISCOUNT);
          appendMoney(sb, e.discount[i]);
        }
        sb.append('}');
      }
      sb.append(']');
    }
    sb.append('}');
  }

  /** yyyy-MM-ddTHH:mm:ss of the local time at the given offset (no offset suffix). */
  static void appendLocalDateTime(ByteLine sb, long instant, int offsetSeconds) {
    long local = instant + offsetSeconds;
    long days = Math.floorDiv(local, 86_400L);
    int sod = (int) Math.floorMod(local, 86_400L);
    appendDate(sb, days);
    sb.append('T');
    append2(sb, sod / 3600);
    sb.append(':');
    append2(sb, sod / 60 % 60);
    sb.append(':');
    append2(sb, sod % 60);
  }

  /** Civil date from epoch day (H. Hinnant's algorithm), as yyyy-MM-dd. */
  static void appendDate(ByteLine sb, long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int) (doy - (153 * mp + 2) / 5 + 1);
    int m = (int) (mp < 10 ? mp + 3 : mp - 9);
    if (m <= 2) {
      y++;
    }
    appendPadded(sb, y, 4);
    sb.append('-');
    append2(sb, m);
    sb.append('-');
    append2(sb, d);
  }

  static String offsetText(int offsetSeconds) {
    int abs = Math.abs(offsetSeconds);
    ByteLine sb = new ByteLine(6);
    sb.append(offsetSeconds < 0 ? '-' : '+');
    append2(sb, abs / 3600);
    sb.append(':');
    append2(sb, abs / 60 % 60);
    return sb.toString();
  }

  private static void append2(ByteLine sb, int v) {
    sb.append2(v);
  }

  /** Money as a JSON number with exactly two decimals, e.g. 9.99, 1.00, -0.50. */
  static void appendMoney(ByteLine sb, long cents) {
    if (cents < 0) {
      sb.append('-');
      cents = -cents;
    }
    sb.appendPadded(cents / 100, 1).append('.').append2((int) (cents % 100));
  }

  static void appendPadded(ByteLine sb, long v, int width) {
    sb.appendPadded(v, width);
  }

  static void appendEmail(ByteLine sb, long customerNo) {
    long h = ReferenceData.mix64(customerNo * 0x9E3779B97F4A7C15L + 17);
    sb.append(FIRST_B[(int) Long.remainderUnsigned(h, FIRST.length)])
        .append(LAST_B[(int) Long.remainderUnsigned(h >>> 20, LAST.length)]).appendPadded(customerNo, 1)
        .append(EXAMPLE_COM);
  }

  static void appendPhone(ByteLine sb, int store, long customerNo) {
    long h = Long.remainderUnsigned(ReferenceData.mix64(customerNo * 0xC2B2AE3D27D4EB4FL + 29), 10_000_000L);
    sb.append(PHONE_PREFIX[store]).appendPadded(h / 10_000, 3).append('-').appendPadded(h % 10_000, 4);
  }

  /** The customer's own (Luhn-valid) card. */
  static long customerCard(long customerNo) {
    long h = ReferenceData.mix64(customerNo * 0xD6E8FEB86659FD93L + 31);
    long prefix = (h & 1) == 0 ? 4 : 5;
    return luhn(prefix * 100_000_000_000_000L + Long.remainderUnsigned(h >>> 1, 100_000_000_000_000L));
  }

  /** LUHN_PAIR[v] = Luhn contribution of the two digits of v (0-99) when the units digit is the doubled one. */
  private static final int[] LUHN_PAIR = new int[100];

  static {
    for (int v = 0; v < 100; v++) {
      int d = (v % 10) * 2;
      LUHN_PAIR[v] = v / 10 + (d > 9 ? d - 9 : d);
    }
  }

  /** Appends the Luhn check digit to a 15-digit payload, giving a 16-digit number. */
  static long luhn(long payload) {
    int lo = (int) (payload % 100_000_000L); // 8 digits
    int hi = (int) (payload / 100_000_000L); // 7 digits
    int sum = 0;
    for (int k = 0; k < 4; k++) {
      sum += LUHN_PAIR[lo % 100];
      lo /= 100;
    }
    for (int k = 0; k < 3; k++) {
      sum += LUHN_PAIR[hi % 100];
      hi /= 100;
    }
    int lead = hi * 2; // the 15th digit from the right is in a doubled position
    sum += lead > 9 ? lead - 9 : lead;
    return payload * 10 + (10 - sum % 10) % 10;
  }
}
