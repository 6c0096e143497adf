package io.tillstream.run;

import io.tillstream.gold.SuspiciousRules;
import io.tillstream.lake.Lake;
import io.tillstream.pipeline.PipelineContext;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One run of the whole pipeline over a set of raw records, as the batch job runs it once and the streaming job
 * once per micro-batch: ingest into bronze, quarantine and silver, stop on a fail-severity rule or a run that
 * does not reconcile, then refresh the gold partitions the records touched.
 */
public final class PipelineRun {

  /** What the run wrote; {@code result} is null when it failed before counting. */
  public record Outcome(IngestResult result, Map<String, Long> tableVersions, String error) {
    public boolean succeeded() {
      return error == null;
    }
  }

  public static Outcome execute(Lake lake, Dataset<Row> raw, PipelineContext ctx, SuspiciousRules rules,
      boolean publishParquet, String runId, Timestamp ingestedAt, StageTimer timer) {
    return execute(lake, raw, ctx, rules, publishParquet, runId, ingestedAt, timer, null, UnaryOperator.identity());
  }

  /**
   * As above; {@code newAlerts} receives the new suspicious transactions (see {@link GoldRefresh}), and
   * {@code goldDays} turns the days the run touched into the days whose gold is refreshed now (the stream's
   * cadence: none until its interval has passed, then every day touched since).
   */
  public static Outcome execute(Lake lake, Dataset<Row> raw, PipelineContext ctx, SuspiciousRules rules,
      boolean publishParquet, String runId, Timestamp ingestedAt, StageTimer timer,
      Consumer<Dataset<Row>> newAlerts, UnaryOperator<SortedSet<LocalDate>> goldDays) {
    return execute(lake, raw, IngestRun.RawWrites.INSERT_NEW, ctx, rules, publishParquet, runId, ingestedAt, timer,
        newAlerts, goldDays);
  }

  /** As above, writing bronze and quarantine as {@code rawWrites} says (a stream appends). */
  public static Outcome execute(Lake lake, Dataset<Row> raw, IngestRun.RawWrites rawWrites, PipelineContext ctx,
      SuspiciousRules rules, boolean publishParquet, String runId, Timestamp ingestedAt, StageTimer timer,
      Consumer<Dataset<Row>> newAlerts, UnaryOperator<SortedSet<LocalDate>> goldDays) {
    return finish(lake, new IngestRun(lake, timer, rawWrites).ingest(raw, ctx, runId, ingestedAt), ctx, rules,
        publishParquet, timer, newAlerts, goldDays);
  }

  /**
   * A quarantine replay of {@code records} records read back from silver.quarantine (see
   * {@link IngestRun#replay}), then, like any run, the gold refresh of the dates it accepted records for.
   */
  public static Outcome replay(Lake lake, Dataset<Row> raw, long records, PipelineContext ctx, SuspiciousRules rules,
      boolean publishParquet, String runId, Timestamp replayedAt, StageTimer timer, IngestRun.ReplayWrites writes) {
    return finish(lake, new IngestRun(lake, timer).replay(raw, records, ctx, runId, replayedAt, writes), ctx,
        rules, publishParquet, timer, null, UnaryOperator.identity());
  }

  private static Outcome finish(Lake lake, IngestResult result, PipelineContext ctx, SuspiciousRules rules,
      boolean publishParquet,
      StageTimer timer, Consumer<Dataset<Row>> newAlerts, UnaryOperator<SortedSet<LocalDate>> goldDays) {
    Map<String, Long> versions = new LinkedHashMap<>();
    versions.putAll(result.tableVersions());
    if (!result.reconciles()) {
      return new Outcome(result, versions, "the run does not reconcile: " + result.reconciliation());
    }
    if (!result.failures().isEmpty()) {
      return new Outcome(result, versions, String.join("; ", result.failures()));
    }
    versions.putAll(new GoldRefresh(lake, timer).refresh(goldDays.apply(result.touchedDates()), rules,
        ctx.dedupHorizonDays(),
        publishParquet, newAlerts));
    return new Outcome(result, versions, null);
  }

  private PipelineRun() {}
}
