package io.tillstream.run;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.gold.SuspiciousRules;
import io.tillstream.pipeline.PipelineContext;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.SortedSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What one run of the pipeline is ({@link PipelineRun}): its id and start (the rows' run_id and ingestion time), the
 * context its rules read, the gold settings and the timer of its stages. A stream's micro-batch also says how it
 * writes bronze and quarantine, where new suspicious transactions go (null: nowhere) and which of the days it touched
 * get their gold refreshed now.
 */
public record RunSpec(String runId, Timestamp startedAt, PipelineContext ctx, SuspiciousRules rules,
    boolean publishParquet, StageTimer timer, IngestRun.RawWrites rawWrites, Consumer<Dataset<Row>> newAlerts,
    UnaryOperator<SortedSet<LocalDate>> goldDays) {

  /** As below, with the suspicious-transaction rules and the Parquet publishing of gold as {@code config} sets them. */
  public static RunSpec of(String runId, Timestamp startedAt, PipelineContext ctx, TillstreamConfig config,
      StageTimer timer) {
    return of(runId, startedAt, ctx, PipelineContexts.suspiciousRules(config),
        config.get(ConfigKeys.GOLD_PUBLISH_PARQUET), timer);
  }

  /** A run as the batch job makes it: keyed inserts, no alerts sent, gold refreshed for every day it touched. */
  public static RunSpec of(String runId, Timestamp startedAt, PipelineContext ctx, SuspiciousRules rules,
      boolean publishParquet, StageTimer timer) {
    return new RunSpec(runId, startedAt, ctx, rules, publishParquet, timer, IngestRun.RawWrites.INSERT_NEW, null,
        UnaryOperator.identity());
  }

  public RunSpec writing(IngestRun.RawWrites writes) {
    return new RunSpec(runId, startedAt, ctx, rules, publishParquet, timer, writes, newAlerts, goldDays);
  }

  public RunSpec alerting(Consumer<Dataset<Row>> alerts) {
    return new RunSpec(runId, startedAt, ctx, rules, publishParquet, timer, rawWrites, alerts, goldDays);
  }

  /** {@code days} turns the days the run touched into those whose gold is refreshed now (the stream's cadence). */
  public RunSpec refreshingGold(UnaryOperator<SortedSet<LocalDate>> days) {
    return new RunSpec(runId, startedAt, ctx, rules, publishParquet, timer, rawWrites, newAlerts, days);
  }
}
