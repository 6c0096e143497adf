package io.tillstream.generate;

/** The defect kinds injected by the generator; {@link #id()} is the key used in reports and by the pipeline. */
public enum DefectRule {
  MALFORMED_RECORD("malformed_record"),
  SCHEMA_VIOLATION("schema_violation"),
  MISSING_REQUIRED_FIELD("missing_required_field"),
  INVALID_TIMESTAMP("invalid_timestamp"),
  INVALID_EVENT_TYPE("invalid_event_type"),
  EMPTY_ITEMS("empty_items"),
  NON_POSITIVE_QUANTITY("non_positive_quantity"),
  NEGATIVE_AMOUNT("negative_amount"),
  UNKNOWN_STORE("unknown_store"),
  UNKNOWN_CURRENCY("unknown_currency"),
  MISSING_FX_RATE("missing_fx_rate"),
  EVENT_TIME_IN_FUTURE("event_time_in_future");

  private final String id;

  DefectRule(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
