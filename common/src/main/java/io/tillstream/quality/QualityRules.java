package io.tillstream.quality;

import static io.tillstream.quality.Severity.DROP;
import static io.tillstream.quality.Severity.FAIL;
import static io.tillstream.quality.Severity.QUARANTINE;
import static io.tillstream.quality.Severity.WARN;

import io.tillstream.quality.QualityRule.Scope;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalogue of quality rules. Severities can be overridden with quality.severity.RULE_ID. */
public final class QualityRules {
  public static final String MALFORMED_RECORD = "malformed_record";
  public static final String SCHEMA_VIOLATION = "schema_violation";
  public static final String MISSING_REQUIRED_FIELD = "missing_required_field";
  public static final String INVALID_TIMESTAMP = "invalid_timestamp";
  public static final String INVALID_EVENT_TYPE = "invalid_event_type";
  public static final String EMPTY_ITEMS = "empty_items";
  public static final String NON_POSITIVE_QUANTITY = "non_positive_quantity";
  public static final String NEGATIVE_AMOUNT = "negative_amount";
  public static final String UNKNOWN_STORE = "unknown_store";
  public static final String UNKNOWN_CURRENCY = "unknown_currency";
  public static final String MISSING_FX_RATE = "missing_fx_rate";
  public static final String EVENT_TIME_IN_FUTURE = "event_time_in_future";
  public static final String DUPLICATE_CONFLICT = "duplicate_conflict";
  public static final String UNKNOWN_SKU = "unknown_sku";
  public static final String DUPLICATE_DIMENSION_KEY = "duplicate_dimension_key";

  private static final EnumSet<Severity> REJECTING = EnumSet.of(QUARANTINE, DROP, FAIL);
  private static final EnumSet<Severity> ANY = EnumSet.allOf(Severity.class);
  private static final EnumSet<Severity> WARN_OR_FAIL = EnumSet.of(WARN, FAIL);

  private static final List<QualityRule> RULES = List.of(
      parse(MALFORMED_RECORD, "the line is not a JSON object"),
      parse(SCHEMA_VIOLATION, "a field has the wrong type, an unsupported value or is out of range"),
      parse(MISSING_REQUIRED_FIELD, "a required field is absent, null or blank"),
      parse(INVALID_TIMESTAMP, "event_time is not an ISO-8601 timestamp with an offset"),
      new QualityRule(INVALID_EVENT_TYPE, "event_type is neither sale nor refund", Scope.EVENT, QUARANTINE,
          REJECTING,
          "event_type IS NOT NULL AND event_type NOT IN ('sale', 'refund')",
          "concat('event_type \\'', event_type, '\\' is not sale or refund')"),
      new QualityRule(EMPTY_ITEMS, "the event has no items", Scope.EVENT, QUARANTINE, REJECTING,
          "items IS NOT NULL AND size(items) = 0", "'items is empty'"),
      new QualityRule(NON_POSITIVE_QUANTITY, "an item has quantity <= 0", Scope.EVENT, QUARANTINE, ANY,
          "exists(items, i -> i.quantity <= 0)",
          "concat('quantity <= 0 for ', array_join(transform(filter(items, i -> i.quantity <= 0),"
              + " i -> concat(coalesce(i.sku, '?'), ' (', i.quantity, ')')), ', '))"),
      new QualityRule(NEGATIVE_AMOUNT, "an item has a negative price or discount, or a discount above its gross",
          Scope.EVENT, QUARANTINE, ANY,
          "exists(items, i -> i.unit_price < 0 OR i.discount < 0 OR (i.quantity > 0 AND i.discount > i.gross))",
          "concat('negative amount or discount above gross for ', array_join(transform(filter(items,"
              + " i -> i.unit_price < 0 OR i.discount < 0 OR (i.quantity > 0 AND i.discount > i.gross)),"
              + " i -> concat(coalesce(i.sku,"
              + " '?'), ' (unit_price ', i.unit_price, ', discount ', i.discount, ')')), ', '))"),
      new QualityRule(UNKNOWN_STORE, "store_id is not in stores.csv", Scope.EVENT, QUARANTINE, REJECTING,
          "store_id IS NOT NULL AND store_timezone IS NULL",
          "concat('store_id \\'', store_id, '\\' is not in stores.csv')"),
      new QualityRule(UNKNOWN_CURRENCY, "currency is not an ISO-4217 code", Scope.EVENT, QUARANTINE, REJECTING,
          "currency IS NOT NULL AND NOT currency_is_iso",
          "concat('currency \\'', currency, '\\' is not an ISO-4217 code')"),
      new QualityRule(MISSING_FX_RATE, "no FX rate for the currency on the business date or up to the allowed"
          + " age before it", Scope.EVENT, QUARANTINE, REJECTING,
          // An event in the future has no rate yet: that is reported as event_time_in_future only.
          "currency_is_iso AND business_date IS NOT NULL AND fx_rate IS NULL AND NOT (event_time > future_limit)",
          "concat('no ', currency, ' rate on ', business_date, ' or the ', fx_max_age_days, ' days before')"),
      new QualityRule(EVENT_TIME_IN_FUTURE, "event_time lies after processing time plus the tolerance",
          Scope.EVENT, QUARANTINE, ANY,
          "event_time > future_limit",
          "concat('event_time ', event_time_text, ' is after ', date_format(future_limit,"
              + " \"yyyy-MM-dd'T'HH:mm:ss'Z'\"))"),
      new QualityRule(DUPLICATE_CONFLICT, "the event_id was already accepted with different content",
          Scope.DEDUPLICATION, QUARANTINE, REJECTING, null, null),
      new QualityRule(UNKNOWN_SKU, "the sku is not in products.csv; the line is kept with category unknown",
          Scope.LINE, WARN, WARN_OR_FAIL, null, null),
      new QualityRule(DUPLICATE_DIMENSION_KEY, "a reference file repeats a key; the last row wins", Scope.DIMENSION,
          WARN, WARN_OR_FAIL, null, null));

  private static final Map<String, QualityRule> BY_ID = new LinkedHashMap<>();

  static {
    RULES.forEach(r -> BY_ID.put(r.id(), r));
  }

  private static QualityRule parse(String id, String description) {
    return new QualityRule(id, description, Scope.PARSE, QUARANTINE, REJECTING, null, null);
  }

  public static List<QualityRule> all() {
    return RULES;
  }

  public static List<String> ids() {
    return List.copyOf(BY_ID.keySet());
  }

  public static QualityRule byId(String id) {
    QualityRule r = BY_ID.get(id);
    if (r == null) {
      throw new IllegalArgumentException("unknown quality rule " + id);
    }
    return r;
  }

  private QualityRules() {}
}
