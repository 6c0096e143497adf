package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Every record as received (PII already tokenized by the parser) with its source. */
public final class BuildBronze {

  public static Dataset<Row> apply(Dataset<Row> events) {
    return events.select(col("record_id"), col("source_file"), col("source_line"), col("raw_record"),
        col("pii_key_id"), col("event_id"), col("content_hash"), col("business_date"));
  }

  private BuildBronze() {}
}
