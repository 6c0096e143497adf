package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.tillstream.contract.EventSchemas;
import io.tillstream.quality.Disposition;
import io.tillstream.quality.QualityRule;
import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.sql.Timestamp;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Evaluates the EVENT-scope rules of {@link QualityRules} (their SQL conditions) on enriched events, adds them to
 * the parse issues as {@code violations}, and decides each record's {@code disposition} from the rule
 * severities: fail, quarantine, drop or accept (warn-severity rules become {@code quality_warnings}).
 */
public final class ApplyQualityRules {
  public static Dataset<Row> apply(Dataset<Row> events, Map<String, Severity> severities, Timestamp futureLimit,
      int fxMaxAgeDays) {
    String checks = QualityRules.all().stream()
        .filter(r -> r.scope() == QualityRule.Scope.EVENT)
        .map(r -> "CASE WHEN coalesce(" + r.condition() + ", false) THEN named_struct('rule', '" + r.id()
            + "', 'detail', coalesce(" + r.detail() + ", '" + r.id() + "')) END")
        .collect(Collectors.joining(", "));
    return withDisposition(events
        .withColumn("future_limit", lit(futureLimit))
        .withColumn("fx_max_age_days", lit(fxMaxAgeDays))
        .withColumn("violations", expr("concat(parse_issues, filter(array(" + checks + "), v -> v IS NOT NULL))")
            .cast(DataTypes.createArrayType(EventSchemas.ISSUE)))
        .drop("future_limit", "fx_max_age_days"), severities);
  }

  /** (Re)computes disposition and quality_warnings from {@code violations}. */
  static Dataset<Row> withDisposition(Dataset<Row> events, Map<String, Severity> severities) {
    // Most records break no rule: decide those without evaluating any lambda.
    return events
        .withColumn("disposition", expr("CASE WHEN size(violations) = 0 THEN " + Disposition.ACCEPT.sql()
            + Stream.of(Severity.FAIL, Severity.QUARANTINE, Severity.DROP).map(s -> " WHEN " + anyRuleWith(severities, s)
                + " THEN " + Disposition.rejectedBy(s).sql()).collect(Collectors.joining())
            + " ELSE " + Disposition.ACCEPT.sql() + " END"))
        .withColumn("quality_warnings", expr("CASE WHEN size(violations) = 0 THEN CAST(array() AS ARRAY<STRING>)"
            + " ELSE transform(filter(violations, v -> " + ruleIn(severities, Severity.WARN) + "), v -> v.rule) END"));
  }

  private static String anyRuleWith(Map<String, Severity> severities, Severity severity) {
    return "exists(violations, v -> " + ruleIn(severities, severity) + ")";
  }

  private static String ruleIn(Map<String, Severity> severities, Severity severity) {
    String ids = severities.entrySet().stream().filter(e -> e.getValue() == severity)
        .map(e -> "'" + e.getKey() + "'").collect(Collectors.joining(", "));
    return ids.isEmpty() ? "false" : "v.rule IN (" + ids + ")";
  }

  private ApplyQualityRules() {}
}
