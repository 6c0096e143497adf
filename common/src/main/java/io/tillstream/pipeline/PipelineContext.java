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
 * {@code dedupHorizonDays} bounds the duplicate check (see {@link io.tillstream.config.ConfigKeys#DEDUP_HORIZON_DAYS}).
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
    int dedupHorizonDays,
    boolean redactedInput) {

  /** The default of {@code dedup.horizon-days}. */
  public static final int DEFAULT_DEDUP_HORIZON_DAYS = 31;

  /** Records as received from a source (files, Kafka): PII in clear. */
  public PipelineContext(Dataset<Row> stores, Dataset<Row> products, Dataset<Row> fxDaily, String reportingCurrency,
      int fxMaxAgeDays, Map<String, Severity> severities, Timestamp futureLimit, PiiKey piiKey, LocalDate from,
      LocalDate to) {
    this(stores, products, fxDaily, reportingCurrency, fxMaxAgeDays, severities, futureLimit, piiKey, from, to,
        DEFAULT_DEDUP_HORIZON_DAYS, false);
  }

  /** The same context with another duplicate-check horizon. */
  public PipelineContext withDedupHorizonDays(int days) {
    return new PipelineContext(stores, products, fxDaily, reportingCurrency, fxMaxAgeDays, severities, futureLimit,
        piiKey, from, to, days, redactedInput);
  }

  /** The same context for records read back from bronze or quarantine (PII already tokenized). */
  public PipelineContext forRedactedInput() {
    return new PipelineContext(stores, products, fxDaily, reportingCurrency, fxMaxAgeDays, severities, futureLimit,
        piiKey, from, to, dedupHorizonDays, true);
  }
}
