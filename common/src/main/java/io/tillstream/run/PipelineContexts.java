package io.tillstream.run;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.dims.Dimensions;
import io.tillstream.gold.SuspiciousRules;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.privacy.PiiKey;
import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds the pipeline's inputs from configuration, once per run (batch) or per query (streaming). */
public final class PipelineContexts {

  public static PipelineContext build(SparkSession spark, TillstreamConfig config, Dimensions dims, PiiKey key,
      Instant processingTime, LocalDate from, LocalDate to) {
    Map<String, Severity> severities = config.severities();
    if (dims.duplicateKeyWarnings() > 0 && severities.get(QualityRules.DUPLICATE_DIMENSION_KEY) == Severity.FAIL) {
      throw new RunFailure(dims.duplicateKeyWarnings() + " duplicate key(s) in the reference data and "
          + ConfigKeys.SEVERITY_PREFIX + QualityRules.DUPLICATE_DIMENSION_KEY + " is fail: " + dims.warnings());
    }
    int fxMaxAge = config.get(ConfigKeys.FX_MAX_AGE_DAYS);
    return new PipelineContext(dims.storesFrame(spark), dims.productsFrame(spark),
        dims.fxDailyFrame(spark, fxMaxAge), config.get(ConfigKeys.REPORTING_CURRENCY), fxMaxAge, severities,
        Timestamp.from(processingTime.plus(config.get(ConfigKeys.FUTURE_TOLERANCE))), key, from, to)
        .withDedupHorizonDays(config.get(ConfigKeys.DEDUP_HORIZON_DAYS));
  }

  public static SuspiciousRules suspiciousRules(TillstreamConfig c) {
    return new SuspiciousRules(
        c.get(ConfigKeys.LARGE_ORDER_ENABLED), c.get(ConfigKeys.LARGE_ORDER_MIN_NET),
        c.get(ConfigKeys.CARD_VELOCITY_ENABLED), c.get(ConfigKeys.CARD_VELOCITY_MIN_SALES),
        c.get(ConfigKeys.CARD_VELOCITY_WINDOW),
        c.get(ConfigKeys.MULTI_STORE_ENABLED), c.get(ConfigKeys.MULTI_STORE_MIN_STORES),
        c.get(ConfigKeys.MULTI_STORE_WINDOW));
  }

  private PipelineContexts() {}
}
