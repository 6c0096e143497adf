package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.tillstream.quality.Disposition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * What a quarantine replay does to the quarantine row of each replayed record: {@code resolved} when the record
 * is now accepted, a duplicate of an accepted one or dropped; otherwise still quarantined, with its new rule ids,
 * reason, severity and business date (the columns {@link BuildQuarantine} gives any rejected record).
 */
public final class ResolveQuarantine {
  public static final String RESOLVED_BY_RUN = "resolved_by_run";
  public static final String RESOLVED_AT = "resolved_at";
  /** The run that accepted (or found a duplicate) a quarantined record, and when; null while it is quarantined. */
  /** New quarantine rows: not resolved. */
  public static Dataset<Row> withUnresolved(Dataset<Row> quarantineRows) {
    return quarantineRows.withColumn(RESOLVED_BY_RUN, lit(null).cast(DataTypes.StringType))
        .withColumn(RESOLVED_AT, lit(null).cast(DataTypes.TimestampType));
  }

  /**
   * One row per replayed record, keyed by record_id (re-parsing a redacted record gives it the same record_id, see
   * JsonRedactor): record_id, resolved, disposition, business_date, rule_ids, reason, severity. {@code replayed}
   * holds the record_ids of the quarantine rows replayed; a record that matches none of them is left out.
   */
  public static Dataset<Row> apply(Dataset<Row> classified, Dataset<Row> replayed) {
    // BuildQuarantine's severity is the record's disposition (quarantine or fail).
    Dataset<Row> stillQuarantined = BuildQuarantine.apply(classified)
        .select(col("record_id"), lit(false).as("resolved"), col("severity").as("disposition"),
            col("business_date"), col("rule_ids"), col("reason"), col("severity"));
    Dataset<Row> resolved = classified.filter(col("disposition").isin(Disposition.ACCEPT.label(),
            Disposition.DUPLICATE.label(), Disposition.DROP.label()))
        .select(col("record_id"), lit(true).as("resolved"), col("disposition"), col("business_date"),
            lit(null).cast(DataTypes.createArrayType(DataTypes.StringType)).as("rule_ids"),
            lit(null).cast(DataTypes.StringType).as("reason"), lit(null).cast(DataTypes.StringType).as("severity"));
    return stillQuarantined.unionByName(resolved).join(replayed.select("record_id"), "record_id");
  }

  private ResolveQuarantine() {}
}
