package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.col;

import io.tillstream.quality.Disposition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one composite every job calls: raw records in, classified events out. Batch and streaming differ only in
 * where the raw records come from and where the outputs go.
 */
public final class SalesPipeline {

  /**
   * Parses, enriches, applies the quality rules, restricts to the date range and removes duplicates against
   * {@code accepted} (event_id, content_hash of everything accepted before). Each output row carries its
   * {@code disposition}: accept, duplicate, quarantine, fail, drop or out_of_range.
   */
  public static Dataset<Row> classify(Dataset<Row> raw, PipelineContext ctx, Dataset<Row> accepted) {
    Dataset<Row> checked = check(raw, ctx);
    return resolveDuplicates(checked, DeduplicateEvents.decide(checked, accepted), ctx);
  }

  /** Every row-local step: parse, enrich, quality rules, date range. No shuffle. */
  public static Dataset<Row> check(Dataset<Row> raw, PipelineContext ctx) {
    Dataset<Row> parsed = ParseEvents.apply(raw, ctx.piiKey(), ctx.redactedInput());
    Dataset<Row> enriched = EnrichEvents.withFxRate(EnrichEvents.withStore(parsed, ctx.stores()), ctx.fxDaily(),
        ctx.reportingCurrency());
    Dataset<Row> checked = ApplyQualityRules.apply(enriched, ctx.severities(), ctx.futureLimit(),
        ctx.fxMaxAgeDays());
    return SelectDateRange.apply(checked, ctx.from(), ctx.to())
        .drop("parse_issues", "event_time_text", "store_name", "city", "store_timezone");
  }

  /** The records that are not new; see {@link DeduplicateEvents#decide}. */
  public static Dataset<Row> duplicateDecisions(Dataset<Row> checked, Dataset<Row> accepted) {
    return DeduplicateEvents.decide(checked, accepted);
  }

  public static Dataset<Row> resolveDuplicates(Dataset<Row> checked, Dataset<Row> decisions, PipelineContext ctx) {
    return DeduplicateEvents.apply(checked, decisions, ctx.severities());
  }

  public static Dataset<Row> bronze(Dataset<Row> classified) {
    return BuildBronze.apply(classified);
  }

  public static Dataset<Row> quarantine(Dataset<Row> classified) {
    return BuildQuarantine.apply(classified);
  }

  public static Dataset<Row> salesLines(Dataset<Row> classified, PipelineContext ctx) {
    return BuildSalesLines.apply(classified.filter(col("disposition").equalTo(Disposition.ACCEPT.label())),
        ctx.products());
  }

  private SalesPipeline() {}
}
