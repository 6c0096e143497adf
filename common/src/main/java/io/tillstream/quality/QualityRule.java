package io.tillstream.quality;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One data-quality rule, declared as data. {@code condition} and {@code detail} are Spark SQL expressions over
 * an enriched event row (see {@link io.tillstream.pipeline.ApplyQualityRules}); they are null for rules that a
 * dedicated step decides (parsing, de-duplication, line and dimension checks).
 */
public record QualityRule(
    String id,
    String description,
    Scope scope,
    Severity defaultSeverity,
    Set<Severity> allowed,
    String condition,
    String detail) {

  /** Where a rule is checked. */
  public enum Scope { PARSE, EVENT, DEDUPLICATION, LINE, DIMENSION }

  public QualityRule {
    allowed = Set.copyOf(allowed.isEmpty() ? EnumSet.of(defaultSeverity) : allowed);
  }

  public String allowedLabels() {
    return allowed.stream().sorted().map(Severity::label).collect(Collectors.joining(", "));
  }
}
