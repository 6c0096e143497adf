package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.tillstream.quality.Disposition;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Marks events to accept whose business date lies outside [from, to] as out_of_range (counted, not stored). */
public final class SelectDateRange {

  public static Dataset<Row> apply(Dataset<Row> events, LocalDate from, LocalDate to) {
    if (from == null && to == null) {
      return events;
    }
    Column outside = lit(false);
    if (from != null) {
      outside = outside.or(col("business_date").lt(lit(Date.valueOf(from))));
    }
    if (to != null) {
      outside = outside.or(col("business_date").gt(lit(Date.valueOf(to))));
    }
    return events.withColumn("disposition",
        when(col("disposition").equalTo(Disposition.ACCEPT.label()).and(outside), Disposition.OUT_OF_RANGE.lit())
            .otherwise(col("disposition")));
  }

  private SelectDateRange() {}
}
