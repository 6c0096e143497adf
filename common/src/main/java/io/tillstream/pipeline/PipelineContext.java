package io.tillstream.pipeline;

import io.tillstream.privacy.PiiKey;
import io.tillstream.quality.Severity;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Everything the shared pipeline needs besides the records: reference frames, rule severities and the
 * processing time (fixed per run or micro-batch, so a rerun decides the same way). {@code redactedInput} says
 * the records were written by this pipeline (a quarantine replay): their PII fields already hold tokens.
 */
public record PipelineContext(
    Dataset<Row> stores,
    Dataset<Row> products,
    Dataset<Row> fxDaily,
    String reportingCurrency,
    int fxMaxAgeDays,
    Map<String, Severity> severities,
    Timestamp futureLimit,
    PiiKey piiKey,
    LocalDate from,
    LocalDate to,
    boolean redactedInput) {

  /** Records as received from a source (files, Kafka): PII in clear. */
  public PipelineContext(Dataset<Row> stores, Dataset<Row> products, Dataset<Row> fxDaily, String reportingCurrency,
      int fxMaxAgeDays, Map<String, Severity> severities, Timestamp futureLimit, PiiKey piiKey, LocalDate from,
      LocalDate to) {
    this(stores, products, fxDaily, reportingCurrency, fxMaxAgeDays, severities, futureLimit, piiKey, from, to,
        false);
  }

  /** The same context for records read back from bronze or quarantine (PII already tokenized). */
  public PipelineContext forRedactedInput() {
    return new PipelineContext(stores, products, fxDaily, reportingCurrency, fxMaxAgeDays, severities, futureLimit,
        piiKey, from, to, true);
  }
}
