package io.tillstream.run;

import io.tillstream.lake.Lake;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /** Runs {@code raw} through the pipeline as {@code run} says. */
  public static Outcome execute(Lake lake, Dataset<Row> raw, RunSpec run) {
    return finish(lake, new IngestRun(lake, run.timer(), run.rawWrites()).ingest(raw, run.ctx(), run.runId(),
        run.startedAt()), run);
  }

  /**
   * A quarantine replay of {@code records} records read back from silver.quarantine (see
   * {@link IngestRun#replay}), then, like any run, the gold refresh of the dates it accepted records for.
   */
  public static Outcome replay(Lake lake, Dataset<Row> raw, long records, RunSpec run,
      IngestRun.ReplayWrites writes) {
    return finish(lake, new IngestRun(lake, run.timer()).replay(raw, records, run.ctx(), run.runId(),
        run.startedAt(), writes), run);
  }

  private static Outcome finish(Lake lake, IngestResult result, RunSpec run) {
    Map<String, Long> versions = new LinkedHashMap<>();
    versions.putAll(result.tableVersions());
    if (!result.reconciles()) {
      return new Outcome(result, versions, "the run does not reconcile: " + result.reconciliation());
    }
    if (!result.failures().isEmpty()) {
      return new Outcome(result, versions, String.join("; ", result.failures()));
    }
    versions.putAll(new GoldRefresh(lake, run.timer()).refresh(run.goldDays().apply(result.touchedDates()),
        run.rules(), run.ctx().dedupHorizonDays(), run.publishParquet(), run.newAlerts()));
    return new Outcome(result, versions, null);
  }

  private PipelineRun() {}
}
