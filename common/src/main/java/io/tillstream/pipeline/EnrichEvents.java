package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.tillstream.contract.EventSchemas;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Adds the store (and the business date in the store's time zone) and the FX rate of that date. */
public final class EnrichEvents {

  /** Business date = event time converted to the store's time zone, then its date. Needs a UTC session zone. */
  public static Dataset<Row> withStore(Dataset<Row> events, Dataset<Row> stores) {
    return events.join(broadcast(stores), events.col("store_id").equalTo(stores.col("store_id")), "left")
        .drop(stores.col("store_id"))
        .withColumn("business_date", when(col("store_timezone").isNotNull().and(col("event_time").isNotNull()),
            to_date(from_utc_timestamp(col("event_time"), col("store_timezone")))));
  }

  /** The rate of (currency, business date) from the daily FX table; 1 for the reporting currency. */
  public static Dataset<Row> withFxRate(Dataset<Row> events, Dataset<Row> fxDaily, String reportingCurrency) {
    Dataset<Row> joined = events.join(broadcast(fxDaily),
        events.col("currency").equalTo(fxDaily.col("fx_currency"))
            .and(events.col("business_date").equalTo(fxDaily.col("fx_date"))), "left");
    return joined
        .withColumn("fx_rate", when(col("currency").equalTo(lit(reportingCurrency))
                .and(col("business_date").isNotNull()), lit(1).cast(EventSchemas.FX_RATE))
            .otherwise(col("fx_rate")))
        .drop("fx_currency", "fx_date");
  }

  private EnrichEvents() {}
}
