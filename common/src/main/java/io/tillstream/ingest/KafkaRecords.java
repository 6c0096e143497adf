package io.tillstream.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Raw records from Kafka, the counterpart of {@link RawLines} for files: rows of Spark's Kafka source (batch or
 * streaming) become {@code (source_file, source_line, value)}, with source_file {@code kafka:TOPIC/PARTITION} and
 * source_line the record's offset, so that every table says where a record came from in the same two columns.
 */
public final class KafkaRecords {
  /** The {@code source_file} of a row of Spark's Kafka source, as a SQL expression over its columns. */
  public static final String SOURCE_FILE_SQL = "concat('kafka:', topic, '/', CAST(partition AS STRING))";

  /** The {@code source_file} of the records of one topic partition. */
  public static String sourceFile(String topic, int partition) {
    return "kafka:" + topic + "/" + partition;
  }

  /** {@code kafka}: rows of Spark's Kafka source (topic, partition, offset, value, ...). */
  public static Dataset<Row> asRaw(Dataset<Row> kafka) {
    return kafka.selectExpr(SOURCE_FILE_SQL + " AS source_file", "offset AS source_line",
        "CAST(value AS STRING) AS value");
  }

  private KafkaRecords() {}
}
