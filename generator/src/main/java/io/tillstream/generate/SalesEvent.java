package io.tillstream.generate;

/** Mutable in-memory form of one generated event (internal). Amounts are minor units (cents). */
final class SalesEvent {
  static final int MAX_ITEMS = 5;
  static final String[] CHANNELS = {"pos", "web", "mobile"};
  static final String[] METHODS = {"card", "cash", "wallet", "voucher"};
  static final int CARD = 0;
  /** Customer rendering modes. */
  static final int CUSTOMER_PRESENT = 0, CUSTOMER_ABSENT = 1, CUSTOMER_NULL = 2;

  long seq;            // event_id number
  long orderNo;        // order_id number
  boolean refund;
  int store;           // index into ReferenceData.STORES
  long instant;        // epoch seconds
  int offsetSeconds;   // store offset at instant
  String offsetText;   // "+01:00"
  int channel;
  int customerMode;
  long customerNo;
  boolean emailNull;
  boolean phoneNull;
  int method;
  long card;           // 16 digits, only when method == CARD
  int itemCount;
  /** Index into {@link ReferenceData#ALL_SKUS}: known catalogue skus first, then unknown ones. */
  final int[] sku = new int[MAX_ITEMS];
  final int[] quantity = new int[MAX_ITEMS];
  final long[] unitPrice = new long[MAX_ITEMS];
  final long[] discount = new long[MAX_ITEMS]; // -1 = absent

  boolean unknownSku(int item) {
    return sku[item] >= ReferenceData.PRODUCT_COUNT;
  }

  SalesEvent copy() {
    SalesEvent e = new SalesEvent();
    e.seq = seq;
    e.orderNo = orderNo;
    e.refund = refund;
    e.store = store;
    e.instant = instant;
    e.offsetSeconds = offsetSeconds;
    e.offsetText = offsetText;
    e.channel = channel;
    e.customerMode = customerMode;
    e.customerNo = customerNo;
    e.emailNull = emailNull;
    e.phoneNull = phoneNull;
    e.method = method;
    e.card = card;
    e.itemCount = itemCount;
    System.arraycopy(sku, 0, e.sku, 0, MAX_ITEMS);
    System.arraycopy(quantity, 0, e.quantity, 0, MAX_ITEMS);
    System.arraycopy(unitPrice, 0, e.unitPrice, 0, MAX_ITEMS);
    System.arraycopy(discount, 0, e.discount, 0, MAX_ITEMS);
    return e;
  }
}
