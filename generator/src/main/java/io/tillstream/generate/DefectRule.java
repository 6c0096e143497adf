package io.tillstream.generate;

import io.tillstream.quality.QualityRules;

/** The defect kinds injected by the generator, each the quality rule it breaks ({@link #id()}: the rule's id). */
public enum DefectRule {
  MALFORMED_RECORD(QualityRules.MALFORMED_RECORD),
  SCHEMA_VIOLATION(QualityRules.SCHEMA_VIOLATION),
  MISSING_REQUIRED_FIELD(QualityRules.MISSING_REQUIRED_FIELD),
  INVALID_TIMESTAMP(QualityRules.INVALID_TIMESTAMP),
  INVALID_EVENT_TYPE(QualityRules.INVALID_EVENT_TYPE),
  EMPTY_ITEMS(QualityRules.EMPTY_ITEMS),
  NON_POSITIVE_QUANTITY(QualityRules.NON_POSITIVE_QUANTITY),
  NEGATIVE_AMOUNT(QualityRules.NEGATIVE_AMOUNT),
  UNKNOWN_STORE(QualityRules.UNKNOWN_STORE),
  UNKNOWN_CURRENCY(QualityRules.UNKNOWN_CURRENCY),
  MISSING_FX_RATE(QualityRules.MISSING_FX_RATE),
  EVENT_TIME_IN_FUTURE(QualityRules.EVENT_TIME_IN_FUTURE);

  private final String id;

  DefectRule(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
