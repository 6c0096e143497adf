package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.tillstream.quality.Disposition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Rejected records (quarantine or fail) with every failed rule id and a readable reason. */
public final class BuildQuarantine {

  public static Dataset<Row> apply(Dataset<Row> events) {
    return events.filter(col("disposition").isin(Disposition.QUARANTINED.stream().map(Disposition::label).toArray()))
        .select(
            col("record_id"), col("source_file"), col("source_line"), col("event_id"), col("business_date"),
            expr("array_distinct(transform(violations, v -> v.rule))").as("rule_ids"),
            expr("array_join(transform(violations, v -> concat(v.rule, ': ', v.detail)), '; ')").as("reason"),
            col("disposition").as("severity"), col("raw_record"), col("pii_key_id"));
  }

  private BuildQuarantine() {}
}
