package io.tillstream.generate;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Streams the event lines (internal). One pass, bounded memory: a ring of the last {@value #DUP_RING} valid events
 * (duplicate sources; exact duplicates are re-rendered, which is byte-identical), a ring of {@value #SALE_RING}
 * recent sales per store (refund sources) and a queue of at most a handful of scheduled fraud-pattern sales.
 *
 * <p>Time model: the stream position of line i is {@code t0 + span * i / N} (+ a jitter smaller than one step), where
 * t0 is the earliest store opening (08:00 local on startDate) and t0 + span the latest closing (21:00 local on the
 * last day). Each event goes to a store that is open (08:00-21:00 local, date within range) at that instant, so
 * event times increase with the line number (except late events and the few minutes of scheduled fraud patterns).
 */
final class EventStream {
  static final int VALID = 0, BAD = 1, DUP = 2;
  static final int DUP_RING = 256;
  static final int SALE_RING = 4096;
  /** Minimum age of a sale before it can be refunded, seconds. */
  private static final int REFUND_MIN_AGE = 120;
  private static final int OPEN_SECONDS = 8 * 3600, CLOSE_SECONDS = 21 * 3600;
  private static final int STORES = ReferenceData.STORES.size();

  /** Exact-count random placement of line kinds (selection sampling); depends only on its seed and the counts. */
  static final class Planner {
    private final SplittableRandom rng;
    private long bad, dup, valid;
    private boolean anyValid;

    Planner(long seed, long bad, long dup, long valid) {
      this.rng = new SplittableRandom(seed);
      this.bad = bad;
      this.dup = dup;
      this.valid = valid;
    }

    int next() {
      long r = rng.nextLong(bad + dup + valid);
      if (r < bad) {
        bad--;
        return BAD;
      }
      if (r < bad + dup && anyValid) {
        dup--;
        return DUP;
      }
      // r in the valid range, or a duplicate drawn before any valid line exists (then valid > 0 is guaranteed)
      valid--;
      anyValid = true;
      return VALID;
    }
  }

  private record Scheduled(int store, long instant, int channel, long card, int customerMode, long customerNo) {}

  // ------------------------------------------------------------------ statistics (read by SyntheticData)
  long validEvents, exactDuplicates, conflictingDuplicates, unknownSkuLines, lateEvents;
  long sales, refunds, largeOrders, cardBursts, multiStoreCards;
  final long[] defects = new long[DefectRule.values().length];
  final List<Path> files = new ArrayList<>();

  private final GeneratorOptions o;
  private final long n, nBad, nDup, nValid;
  private final long startEpochDay;
  private final long t0, span, step, eCut;
  private final long planSeed, lateSeed;
  private final SplittableRandom rng;
  private final ZoneRules[] rules = new ZoneRules[STORES];
  private final long[] offFrom = new long[STORES], offUntil = new long[STORES];
  private final int[] offSec = new int[STORES];
  private final String[] offText = new String[STORES];
  private final long[][] listPrice; // [product][currency]
  private final long customersPerStore;
  private final int[] openBuf = new int[STORES];

  private final SalesEvent[] dupEvents = new SalesEvent[DUP_RING];
  private final boolean[] dupConflicted = new boolean[DUP_RING];
  private long dupPushed;
  private final SalesEvent[][] saleRing = new SalesEvent[STORES][SALE_RING];
  private final int[] salePos = new int[STORES];
  private final long[] saleSeen = new long[STORES];
  private final long saleStride;
  private final ArrayDeque<Scheduled> pending = new ArrayDeque<>();
  private final EventRenderer.Overrides ov = new EventRenderer.Overrides();
  private long seq, orderNo;
  private boolean largeDone, burstDone, multiDone;

  EventStream(GeneratorOptions o) {
    this.o = o;
    this.n = o.events();
    this.nBad = o.defectiveLines();
    this.nDup = o.duplicateLines();
    this.nValid = o.validLines();
    if (nDup > 0 && nValid == 0) {
      throw new IllegalArgumentException("dupRate > 0 needs at least one valid event (lower badRate/dupRate)");
    }
    this.startEpochDay = o.startDate().toEpochDay();
    long first = Long.MAX_VALUE, last = Long.MIN_VALUE, cut = Long.MIN_VALUE;
    for (int j = 0; j < STORES; j++) {
      ReferenceData.Store st = ReferenceData.STORES.get(j);
      rules[j] = st.zone().getRules();
      offFrom[j] = Long.MAX_VALUE;
      offUntil[j] = Long.MIN_VALUE;
      first = Math.min(first, o.startDate().atTime(8, 0).atZone(st.zone()).toEpochSecond());
      last = Math.max(last, o.startDate().plusDays(o.days() - 1L).atTime(21, 0).atZone(st.zone()).toEpochSecond());
      cut = Math.max(cut, o.startDate().plusDays(1).atStartOfDay(st.zone()).toEpochSecond());
    }
    this.t0 = first;
    this.span = last - first;
    this.step = n == 0 ? 1 : Math.max(1, span / n);
    this.eCut = cut;
    SplittableRandom master = new SplittableRandom(o.seed());
    this.planSeed = master.nextLong();
    this.lateSeed = master.nextLong();
    this.rng = new SplittableRandom(master.nextLong());
    this.listPrice = new long[ReferenceData.ALL_SKUS.length][ReferenceData.CURRENCIES.length];
    for (int p = 0; p < listPrice.length; p++) {
      for (int c = 0; c < ReferenceData.CURRENCIES.length; c++) {
        listPrice[p][c] = ReferenceData.listPrice(ReferenceData.ALL_LIST_EUR[p], c);
      }
    }
    this.customersPerStore = Math.max(200, nValid / 40);
    // Keep one sale in saleStride per store in the refund ring so that the ring spans ~2 hours in dense streams;
    // capped at 10 so that refund candidates (10 % of sales) always exceed refund demand (5 %).
    double salesPerStoreHour = nValid / (double) STORES / (o.days() * 13.0);
    this.saleStride = Math.max(1, Math.min(10, Math.round(salesPerStoreHour * 2 / SALE_RING)));
  }

  private long basePosition(long i) {
    if (span <= Long.MAX_VALUE / Math.max(1, n)) {
      return t0 + span * i / n;
    }
    return t0 + (long) ((double) span * i / n);
  }

  /** Writes the event files; {@code fileStarted} is told the name of each file as it is opened. */
  void run(Path eventsDir, Consumer<Path> fileStarted) throws IOException {
    long lateTarget = Math.round(nValid * o.lateRate());
    long eligible = 0;
    if (lateTarget > 0) {
      Planner pre = new Planner(planSeed, nBad, nDup, nValid);
      for (long i = 0; i < n; i++) {
        if (pre.next() == VALID && basePosition(i) >= eCut) {
          eligible++;
        }
      }
      lateTarget = Math.min(lateTarget, eligible);
    }
    SplittableRandom lateRng = new SplittableRandom(lateSeed);
    long lateRemaining = lateTarget, eligibleRemaining = eligible;

    Planner planner = new Planner(planSeed, nBad, nDup, nValid);
    ByteLine sb = new ByteLine(2048);
    long validOrdinal = 0, badOrdinal = 0, dupOrdinal = 0;
    LineWriter w = null;
    try {
      for (long i = 0; i < n; i++) {
        if (i % o.eventsPerFile() == 0) {
          if (w != null) {
            w.close();
          }
          Path f = eventsDir.resolve(String.format(java.util.Locale.ROOT, "events-%05d.jsonl", files.size()));
          files.add(f);
          fileStarted.accept(f);
          w = new LineWriter(Files.newOutputStream(f));
        }
        int kind = planner.next();
        long base = basePosition(i);
        long s = step > 1 ? base + rng.nextLong(step) : base;
        sb.setLength(0);
        if (kind == VALID) {
          boolean late = false;
          if (lateTarget > 0 && base >= eCut) {
            if (lateRng.nextLong(eligibleRemaining) < lateRemaining) {
              late = true;
              lateRemaining--;
            }
            eligibleRemaining--;
          }
          SalesEvent e = makeValid(s, late, validOrdinal++);
          EventRenderer.render(sb, e, null);
          if (nDup > 0) {
            int slot = (int) (dupPushed % DUP_RING);
            dupEvents[slot] = e;
            dupConflicted[slot] = false;
            dupPushed++;
          }
        } else if (kind == BAD) {
          makeBad(s, badOrdinal++, sb);
        } else {
          makeDup(dupOrdinal++, sb);
        }
        w.writeLine(sb);
      }
    } finally {
      if (w != null) {
        w.close();
      }
    }
  }

  // ------------------------------------------------------------------ valid events

  private SalesEvent makeValid(long s, boolean late, long ordinal) {
    validEvents++;
    SalesEvent e;
    if (late) {
      int st = pickOpenStore(s);
      int off = offset(st, s);
      long localDay = Math.floorDiv(s + off, 86_400L) - startEpochDay; // >= 1 by eligibility
      int back = 1 + rng.nextInt((int) Math.max(1, Math.min(5, localDay)));
      LocalDateTime ldt = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.ofTotalSeconds(off)).minusDays(back);
      long t = ldt.atZone(ReferenceData.STORES.get(st).zone()).toEpochSecond();
      e = newSale(st, t);
      fillItems(e, true);
      lateEvents++;
    } else if (!pending.isEmpty()) {
      Scheduled sc = pending.poll();
      e = newSale(sc.store(), sc.instant());
      e.channel = sc.channel();
      e.customerMode = sc.customerMode();
      e.customerNo = sc.customerNo();
      e.method = SalesEvent.CARD;
      e.card = sc.card();
      fillItems(e, true);
    } else {
      int st = pickOpenStore(s);
      if (rng.nextInt(1000) < 50) {
        SalesEvent sale = takeRefundable(st, s);
        if (sale != null) {
          e = makeRefund(sale, s);
          countUnknown(e);
          refunds++;
          return e;
        }
      }
      e = newSale(st, s);
      boolean force = nValid >= 100;
      if ((force && !largeDone && ordinal >= nValid / 2) || rng.nextInt(10_000) < 10) {
        fillLargeItems(e);
        largeDone = true;
        largeOrders++;
      } else {
        fillItems(e, true);
      }
      if ((force && !burstDone && ordinal >= nValid / 3)
          || (e.method == SalesEvent.CARD && rng.nextInt(10_000) < 5)) {
        scheduleBurst(e);
        burstDone = true;
        cardBursts++;
      } else if (((force && !multiDone && ordinal >= 2 * nValid / 3)
          || (e.method == SalesEvent.CARD && rng.nextInt(10_000) < 5)) && scheduleMultiStore(e)) {
        multiDone = true;
        multiStoreCards++;
      }
    }
    sales++;
    countUnknown(e);
    if (saleSeen[e.store]++ % saleStride == 0) {
      saleRing[e.store][salePos[e.store]++ % SALE_RING] = e;
    }
    return e;
  }

  private void countUnknown(SalesEvent e) {
    for (int i = 0; i < e.itemCount; i++) {
      if (e.unknownSku(i)) {
        unknownSkuLines++;
      }
    }
  }

  /** A new sale (ids, store, time, channel, customer, payment) without items. */
  private SalesEvent newSale(int store, long instant) {
    SalesEvent e = new SalesEvent();
    e.seq = ++seq;
    e.orderNo = ++orderNo;
    e.store = store;
    e.instant = instant;
    e.offsetSeconds = offset(store, instant);
    e.offsetText = offText[store];
    int r = rng.nextInt(100);
    e.channel = r < 70 ? 0 : r < 90 ? 1 : 2;
    boolean pos = e.channel == 0;
    if (rng.nextInt(100) < (pos ? 75 : 95)) {
      e.customerMode = SalesEvent.CUSTOMER_PRESENT;
      e.customerNo = store * customersPerStore + rng.nextLong(customersPerStore) + 1;
      e.emailNull = rng.nextInt(100) < 10;
      e.phoneNull = rng.nextInt(100) < 10;
    } else {
      e.customerMode = rng.nextBoolean() ? SalesEvent.CUSTOMER_ABSENT : SalesEvent.CUSTOMER_NULL;
    }
    r = rng.nextInt(100);
    if (pos) {
      e.method = r < 60 ? 0 : r < 85 ? 1 : r < 95 ? 2 : 3;
    } else {
      e.method = r < 75 ? 0 : r < 95 ? 2 : 3;
    }
    if (e.method == SalesEvent.CARD) {
      e.card = cardFor(e);
    }
    return e;
  }

  private long cardFor(SalesEvent e) {
    if (e.customerMode == SalesEvent.CUSTOMER_PRESENT) {
      return EventRenderer.customerCard(e.customerNo);
    }
    long prefix = rng.nextBoolean() ? 4 : 5;
    return EventRenderer.luhn(prefix * 100_000_000_000_000L + rng.nextLong(100_000_000_000_000L));
  }

  private void fillItems(SalesEvent e, boolean allowUnknown) {
    int r = rng.nextInt(100);
    int count = r < 40 ? 1 : r < 65 ? 2 : r < 83 ? 3 : r < 93 ? 4 : 5;
    int currency = ReferenceData.STORES.get(e.store).currency();
    long priceStep = ReferenceData.PRICE_STEP[currency];
    for (int i = 0; i < count; i++) {
      int p;
      do {
        p = allowUnknown && rng.nextInt(100) == 0
            ? ReferenceData.PRODUCT_COUNT + rng.nextInt(ReferenceData.UNKNOWN_SKU_COUNT)
            : rng.nextInt(ReferenceData.PRODUCT_COUNT);
      } while (contains(e, i, p));
      e.sku[i] = p;
      long list = listPrice[p][currency];
      int q = rng.nextInt(100);
      e.quantity[i] = q < 55 ? 1 : q < 80 ? 2 : q < 90 ? 3 : q < 96 ? 4 : 5;
      e.unitPrice[i] = vary(list, priceStep);
      if (rng.nextInt(100) < 30) {
        e.discount[i] = -1;
      } else if (rng.nextInt(100) < 20) {
        e.discount[i] = 0;
      } else {
        long gross = e.quantity[i] * e.unitPrice[i];
        long d = gross * (5 + rng.nextInt(26)) / 100 / priceStep * priceStep;
        e.discount[i] = Math.min(d, gross);
      }
    }
    e.itemCount = count;
  }

  private static boolean contains(SalesEvent e, int upTo, int sku) {
    for (int k = 0; k < upTo; k++) {
      if (e.sku[k] == sku) {
        return true;
      }
    }
    return false;
  }

  /** List price +/- 5 %, rounded to the currency's price step, at least one step. */
  private long vary(long list, long priceStep) {
    long v = Math.round(list * (950 + rng.nextInt(101)) / 1000.0 / priceStep) * priceStep;
    return Math.max(priceStep, v);
  }

  /** 4-5 distinct expensive products (list 400-500 EUR), quantity 5, no discount: net >= 7 600 EUR-equivalent. */
  private void fillLargeItems(SalesEvent e) {
    int currency = ReferenceData.STORES.get(e.store).currency();
    long priceStep = ReferenceData.PRICE_STEP[currency];
    int count = 4 + rng.nextInt(2);
    for (int i = 0; i < count; i++) {
      int p;
      do {
        p = ReferenceData.EXPENSIVE[rng.nextInt(ReferenceData.EXPENSIVE.length)];
      } while (contains(e, i, p));
      e.sku[i] = p;
      e.quantity[i] = 5;
      e.unitPrice[i] = vary(listPrice[p][currency], priceStep);
      e.discount[i] = -1;
    }
    e.itemCount = count;
  }

  /** 4-5 more card sales, same store/card/customer, 30-100 s apart: 5-6 sales within 10 minutes. */
  private void scheduleBurst(SalesEvent e) {
    ensureCard(e);
    int more = 4 + rng.nextInt(2);
    long t = e.instant;
    for (int k = 0; k < more; k++) {
      t += 30 + rng.nextInt(71);
      pending.add(new Scheduled(e.store, t, e.channel, e.card, e.customerMode, e.customerNo));
    }
  }

  /**
   * The same card at two other stores, each open at its time, 5-25 and 30-55 minutes later: 3 stores within 60
   * minutes. Returns false (nothing scheduled) when fewer than two other stores are open then.
   */
  private boolean scheduleMultiStore(SalesEvent e) {
    long t1 = e.instant + 300 + rng.nextInt(1_201);
    long t2 = e.instant + 1_800 + rng.nextInt(1_501);
    int s1 = pickOpenStoreExcept(t1, e.store, -1);
    int s2 = s1 < 0 ? -1 : pickOpenStoreExcept(t2, e.store, s1);
    if (s2 < 0) {
      return false;
    }
    ensureCard(e);
    pending.add(new Scheduled(s1, t1, 0, e.card, SalesEvent.CUSTOMER_ABSENT, 0));
    pending.add(new Scheduled(s2, t2, 0, e.card, SalesEvent.CUSTOMER_ABSENT, 0));
    return true;
  }

  private int pickOpenEurStore(long s) {
    int count = openStores(s);
    int ok = 0;
    for (int k = 0; k < count; k++) {
      if (ReferenceData.STORES.get(openBuf[k]).currency() == ReferenceData.EUR) {
        openBuf[ok++] = openBuf[k];
      }
    }
    if (ok > 0) {
      return openBuf[rng.nextInt(ok)];
    }
    for (int j = 0; j < STORES; j++) { // no EUR store open: any EUR store (time outside business hours)
      if (ReferenceData.STORES.get(j).currency() == ReferenceData.EUR) {
        openBuf[ok++] = j;
      }
    }
    return openBuf[rng.nextInt(ok)];
  }

  private int pickOpenStoreExcept(long t, int not1, int not2) {
    int count = openStores(t);
    int ok = 0;
    for (int k = 0; k < count; k++) {
      if (openBuf[k] != not1 && openBuf[k] != not2) {
        openBuf[ok++] = openBuf[k];
      }
    }
    return ok == 0 ? -1 : openBuf[rng.nextInt(ok)];
  }

  private void ensureCard(SalesEvent e) {
    if (e.method != SalesEvent.CARD) {
      e.method = SalesEvent.CARD;
      e.card = cardFor(e);
    }
  }

  /** Removes and returns a sale of this store at least REFUND_MIN_AGE seconds older than s, or null. */
  private SalesEvent takeRefundable(int store, long s) {
    SalesEvent[] ring = saleRing[store];
    int start = rng.nextInt(SALE_RING);
    for (int k = 0; k < SALE_RING; k++) {
      int slot = (start + k) % SALE_RING;
      SalesEvent sale = ring[slot];
      if (sale != null && sale.instant + REFUND_MIN_AGE <= s) {
        ring[slot] = null;
        return sale;
      }
    }
    return null;
  }

  private SalesEvent makeRefund(SalesEvent sale, long s) {
    SalesEvent e = new SalesEvent();
    e.seq = ++seq;
    e.orderNo = sale.orderNo;
    e.refund = true;
    e.store = sale.store;
    e.instant = s;
    e.offsetSeconds = offset(e.store, s);
    e.offsetText = offText[e.store];
    e.channel = sale.channel;
    e.customerMode = sale.customerMode;
    e.customerNo = sale.customerNo;
    e.emailNull = sale.emailNull;
    e.phoneNull = sale.phoneNull;
    e.method = sale.method;
    e.card = sale.card;
    int forced = rng.nextInt(sale.itemCount);
    int c = 0;
    for (int i = 0; i < sale.itemCount; i++) {
      if (i == forced || rng.nextBoolean()) {
        int q = 1 + rng.nextInt(sale.quantity[i]);
        e.sku[c] = sale.sku[i];
        e.quantity[c] = q;
        e.unitPrice[c] = sale.unitPrice[i];
        long step = ReferenceData.PRICE_STEP[ReferenceData.STORES.get(e.store).currency()];
        e.discount[c] = sale.discount[i] < 0 ? -1 : sale.discount[i] * q / sale.quantity[i] / step * step;
        c++;
      }
    }
    e.itemCount = c;
    return e;
  }

  // ------------------------------------------------------------------ duplicates

  private void makeDup(long k, ByteLine sb) {
    int size = (int) Math.min(dupPushed, DUP_RING);
    int slot = rng.nextInt(size);
    if (k % 10 == 0) {
      for (int probe = 0; probe < size; probe++) {
        int cand = (slot + probe) % size;
        if (!dupConflicted[cand]) {
          SalesEvent c = dupEvents[cand].copy();
          conflict(c);
          EventRenderer.render(sb, c, null);
          dupConflicted[cand] = true;
          conflictingDuplicates++;
          return;
        }
      }
    }
    EventRenderer.render(sb, dupEvents[slot], null); // rendering is deterministic: byte-identical to the original
    exactDuplicates++;
  }

  /** Same event_id, different content: first item's quantity (or, for a 1-unit refund line, its unit_price). */
  private static void conflict(SalesEvent c) {
    int q = c.quantity[0];
    if (!c.refund) {
      c.quantity[0] = q < 5 ? q + 1 : q - 1;
    } else if (q > 1) {
      c.quantity[0] = q - 1;
    } else {
      c.unitPrice[0] += ReferenceData.PRICE_STEP[ReferenceData.STORES.get(c.store).currency()];
    }
    long gross = c.quantity[0] * c.unitPrice[0];
    if (c.discount[0] > gross) {
      c.discount[0] = gross;
    }
  }

  // ------------------------------------------------------------------ defects

  /** missing_required_field rotates over event_id, order_id, store_id, currency, event_time, event_type. */
  private static final int[] MISSING_BITS = {EventRenderer.OMIT_EVENT_ID, EventRenderer.OMIT_ORDER_ID,
      EventRenderer.OMIT_STORE_ID, EventRenderer.OMIT_CURRENCY, EventRenderer.OMIT_EVENT_TIME,
      EventRenderer.OMIT_EVENT_TYPE};

  private void makeBad(long s, long k, ByteLine sb) {
    DefectRule rule = DefectRule.values()[(int) (k % DefectRule.values().length)];
    int variant = (int) (k / DefectRule.values().length);
    // Time defects go to EUR stores: without a usable event_time no fx date exists, and a consumer must not be
    // tempted to report missing_fx_rate as a second finding.
    boolean timeDefect = rule == DefectRule.INVALID_TIMESTAMP || rule == DefectRule.EVENT_TIME_IN_FUTURE
        || (rule == DefectRule.MISSING_REQUIRED_FIELD
            && MISSING_BITS[variant % MISSING_BITS.length] == EventRenderer.OMIT_EVENT_TIME);
    int st = timeDefect ? pickOpenEurStore(s) : pickOpenStore(s);
    SalesEvent e = newSale(st, s);
    // every defective line carries PII: customer with email + phone, card payment
    if (e.customerMode != SalesEvent.CUSTOMER_PRESENT) {
      e.customerMode = SalesEvent.CUSTOMER_PRESENT;
      e.customerNo = st * customersPerStore + rng.nextLong(customersPerStore) + 1;
    }
    e.emailNull = false;
    e.phoneNull = false;
    e.method = SalesEvent.CARD;
    e.card = EventRenderer.customerCard(e.customerNo);
    fillItems(e, false);
    ov.reset();
    long priceStep = ReferenceData.PRICE_STEP[ReferenceData.STORES.get(st).currency()];
    int j = rng.nextInt(e.itemCount);
    switch (rule) {
      case MALFORMED_RECORD -> {
        switch (variant % 3) {
          case 0 -> { // truncated in the middle of the items array (after all PII)
            EventRenderer.render(sb, e, null);
            int cut = sb.indexOf("\"items\":[") + 10 + rng.nextInt(20);
            sb.setLength(Math.min(cut, sb.length() - 2));
          }
          case 1 -> { // a JSON array of scalars, not an object
            sb.append("[\"e-");
            EventRenderer.appendPadded(sb, e.seq, 9);
            sb.append("\",\"sale\",\"");
            EventRenderer.appendLocalDateTime(sb, e.instant, e.offsetSeconds);
            sb.append(e.offsetText).append("\",\"").append(ReferenceData.STORES.get(st).id()).append("\",\"");
            EventRenderer.appendEmail(sb, e.customerNo);
            sb.append("\",\"");
            EventRenderer.appendPhone(sb, st, e.customerNo);
            sb.append("\",\"");
            EventRenderer.appendPadded(sb, e.card, 16);
            sb.append("\"]");
          }
          default -> { // a JSON string scalar holding the event text
            ByteLine inner = new ByteLine(1024);
            EventRenderer.render(inner, e, null);
            sb.append('"');
            for (int i = 0; i < inner.length(); i++) {
              char ch = (char) inner.byteAt(i);
              if (ch == '"' || ch == '\\') {
                sb.append('\\');
              }
              sb.append(ch);
            }
            sb.append('"');
          }
        }
        defects[rule.ordinal()]++;
        return;
      }
      case SCHEMA_VIOLATION -> {
        switch (variant % 4) {
          case 0 -> ov.quantity0 = "\"two\"";
          case 1 -> ov.quantity0 = "2.5";
          case 2 -> ov.items = "\"" + ReferenceData.ALL_SKUS[e.sku[0]] + "\"";
          default -> ov.unitPrice0 = "\"abc\"";
        }
        e.discount[0] = -1; // keep the line free of any second (amount) finding
      }
      case MISSING_REQUIRED_FIELD -> ov.omit = MISSING_BITS[variant % MISSING_BITS.length];
      case INVALID_TIMESTAMP -> {
        ByteLine t = new ByteLine(40).append('"');
        if (variant % 2 == 0) {
          EventRenderer.appendLocalDateTime(t, e.instant, e.offsetSeconds);
          t.setLength(5);
          t.append("-13-45T99:00:00").append(e.offsetText);
        } else {
          EventRenderer.appendLocalDateTime(t, e.instant, e.offsetSeconds); // no offset
        }
        ov.eventTime = t.append('"').toString();
      }
      case INVALID_EVENT_TYPE -> ov.eventType = variant % 2 == 0 ? "\"exchange\"" : "\"void\"";
      case EMPTY_ITEMS -> ov.items = "[]";
      case NON_POSITIVE_QUANTITY -> {
        e.quantity[j] = variant % 2 == 0 ? 0 : -1;
        e.discount[j] = -1;
      }
      case NEGATIVE_AMOUNT -> {
        switch (variant % 3) {
          case 0 -> {
            e.unitPrice[j] = -e.unitPrice[j];
            e.discount[j] = -1;
          }
          case 1 -> e.discount[j] = -(1 + rng.nextInt(500)) * priceStep;
          default -> e.discount[j] = e.quantity[j] * e.unitPrice[j] + 100;
        }
      }
      case UNKNOWN_STORE -> ov.storeId = variant % 2 == 0 ? "\"ZZ-NOWHERE-99\"" : "\"FR-PARIS-99\"";
      case UNKNOWN_CURRENCY -> ov.currency = variant % 2 == 0 ? "\"XXQ\"" : "\"EURO\"";
      case MISSING_FX_RATE -> ov.currency = "\"CHF\"";
      case EVENT_TIME_IN_FUTURE -> {
        ByteLine b = new ByteLine(40);
        EventRenderer.appendLocalDateTime(b, e.instant, e.offsetSeconds);
        String t = "2099" + b.toString().substring(4);
        if (t.startsWith("2099-02-29")) {
          t = "2099-02-28" + t.substring(10);
        }
        ov.eventTime = "\"" + t + e.offsetText + "\"";
      }
      default -> throw new IllegalStateException(rule.toString());
    }
    EventRenderer.render(sb, e, ov);
    defects[rule.ordinal()]++;
  }

  // ------------------------------------------------------------------ stores and time zones

  private int offset(int store, long instant) {
    if (instant < offFrom[store] || instant >= offUntil[store]) {
      Instant in = Instant.ofEpochSecond(instant);
      ZoneRules r = rules[store];
      offSec[store] = r.getOffset(in).getTotalSeconds();
      ZoneOffsetTransition next = r.nextTransition(in);
      ZoneOffsetTransition prev = r.previousTransition(in.plusSeconds(1));
      offUntil[store] = next == null ? Long.MAX_VALUE : next.toEpochSecond();
      offFrom[store] = prev == null ? Long.MIN_VALUE : prev.toEpochSecond();
      offText[store] = EventRenderer.offsetText(offSec[store]);
    }
    return offSec[store];
  }

  /** Fills openBuf with the stores open at instant s; returns their number. */
  private int openStores(long s) {
    int count = 0;
    for (int j = 0; j < STORES; j++) {
      long local = s + offset(j, s);
      long day = Math.floorDiv(local, 86_400L) - startEpochDay;
      long tod = Math.floorMod(local, 86_400L);
      if (day >= 0 && day < o.days() && tod >= OPEN_SECONDS && tod < CLOSE_SECONDS) {
        openBuf[count++] = j;
      }
    }
    return count;
  }

  private int pickOpenStore(long s) {
    int count = openStores(s);
    if (count == 0) {
      return rng.nextInt(STORES); // cannot happen with the built-in store set; kept as a safe fallback
    }
    int total = 0;
    for (int k = 0; k < count; k++) {
      total += ReferenceData.STORES.get(openBuf[k]).weight();
    }
    int r = rng.nextInt(total);
    for (int k = 0; k < count; k++) {
      r -= ReferenceData.STORES.get(openBuf[k]).weight();
      if (r < 0) {
        return openBuf[k];
      }
    }
    return openBuf[count - 1];
  }

  // ------------------------------------------------------------------ output

  /** Writes lines with '\\n' endings through a 1 MiB buffer. */
  static final class LineWriter implements Closeable {
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 20];
    private int pos;

    LineWriter(OutputStream out) {
      this.out = out;
    }

    void writeLine(ByteLine line) throws IOException {
      int len = line.length();
      if (len + 1 > buf.length - pos) {
        flushBuffer();
      }
      if (len + 1 > buf.length) {
        out.write(line.buf, 0, len);
        out.write('\n');
        return;
      }
      System.arraycopy(line.buf, 0, buf, pos, len);
      buf[pos + len] = '\n';
      pos += len + 1;
    }

    private void flushBuffer() throws IOException {
      out.write(buf, 0, pos);
      pos = 0;
    }

    @Override
    public void close() throws IOException {
      try {
        flushBuffer();
      } finally {
        out.close();
      }
    }
  }
}
