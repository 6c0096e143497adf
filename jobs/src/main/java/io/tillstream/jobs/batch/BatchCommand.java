package io.tillstream.jobs.batch;

import io.tillstream.dims.CurrentDimensions;
import io.tillstream.dims.Dimensions;
import io.tillstream.ingest.InputFiles;
import io.tillstream.ingest.RawLines;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.Progress;
import io.tillstream.jobs.cli.RunOptions;
import io.tillstream.jobs.cli.RunSession;
import io.tillstream.jobs.metrics.MetricsTextfile;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.privacy.PiiKey;
import io.tillstream.run.IngestResult;
import io.tillstream.run.OpsLog;
import io.tillstream.run.PipelineContexts;
import io.tillstream.run.PipelineRun;
import io.tillstream.run.RunFailure;
import io.tillstream.run.RunRecord;
import io.tillstream.run.RunSpec;
import io.tillstream.run.StageTimer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** scripts/tillstream batch: read the inputs, run the shared pipeline, write bronze to gold, log the run. */
@Command(name = "batch",
    description = {"runs the batch pipeline; no arguments = bundled samples into ./lake",
        "Reads the event files, runs the shared pipeline and writes bronze, silver, quarantine, gold and"
        + " one ops.runs row. Without --input and --dims it reads the bundled samples (data-samples/). With --from"
        + " and --to only that business-date range is loaded; events outside are counted as out_of_range."},
    footer = {"Environment: TILLSTREAM_PII_KEY (required except on the bundled samples), TILLSTREAM_PII_KEY_ID.",
        "Exit codes: 0 success, 1 run failed (fail-severity rule, not reconciled, error), 2 usage or config error."})
public final class BatchCommand extends JobCommand {
  @Mixin
  RunOptions options;

  /** The run's settings, defaults resolved. */
  public JobSettings settings() {
    return options.settings(env());
  }

  @Override
  public Integer call() {
    JobSettings s = settings();
    PiiKey key = JobSettings.piiKey(s.config(), env(), s.sampleRun(), err());
    SparkSession spark = RunSession.getOrCreate("tillstream-batch", s.config(), s.lake(), err());
    Progress progress = Progress.on(err(), "batch");
    RunRecord record = execute(spark, s, key, String.join(",", s.inputs()), "batch", null, progress).record();
    progress.end();
    out().println(summary(record));
    return record.status().equals("SUCCEEDED") ? ExitCodes.OK : ExitCodes.RUN_FAILED;
  }

  public static RunRecord execute(SparkSession spark, JobSettings s, PiiKey key, String inputLabel) {
    return execute(spark, s, key, inputLabel, "batch", null, Progress.none()).record();
  }

  /** A run's ops.runs row and, when it failed, why: a {@link RunFailure} is final, other failures may pass. */
  public record Executed(RunRecord record, Exception failure) {}

  /**
   * The batch run, logged as {@code job}; {@code landingDate} is the landing day it reads (null for batch);
   * {@code progress} is told each stage.
   */
  public static Executed execute(SparkSession spark, JobSettings s, PiiKey key, String inputLabel, String job,
      LocalDate landingDate, Progress progress) {
    Instant started = Instant.now();
    String runId = runId(job, started);
    Lake lake = new Lake(spark, s.lake());
    StageTimer timer = new StageTimer(progress);
    List<String> messages = new ArrayList<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    IngestResult result = null;
    String status = "SUCCEEDED";
    String error = null;
    Exception failure = null;
    long files = 0;
    String referenceData = null;
    try {
      CurrentDimensions.Loaded loaded = timer.time("load dimensions", () ->
          CurrentDimensions.load(spark.sparkContext().hadoopConfiguration(), s.dims()));
      Dimensions dims = loaded.dims();
      referenceData = loaded.fingerprint();
      messages.addAll(dims.warnings());
      InputFiles.Listing listing = timer.time("list inputs", () ->
          InputFiles.listing(spark.sparkContext().hadoopConfiguration(), s.inputs(), s.from(), s.to()));
      List<String> inputFiles = listing.files();
      listing.skipped().forEach(f -> messages.add("input file not read (not a JSON Lines name): " + f));
      files = inputFiles.size();
      PipelineContext ctx = PipelineContexts.build(spark, s.config(), dims, key, started, s.from(), s.to());
      PipelineRun.Outcome outcome = SparkSessions.interpretingSmallInput(spark, listing.bytes(), () ->
          PipelineRun.execute(lake, RawLines.read(spark, inputFiles),
              RunSpec.of(runId, Timestamp.from(started), ctx, s.config(), timer)));
      result = outcome.result();
      versions.putAll(outcome.tableVersions());
      if (!outcome.succeeded()) {
        throw new RunFailure(outcome.error());
      }
    } catch (RunFailure e) {
      status = "FAILED";
      error = e.getMessage();
      failure = e;
    } catch (Exception e) { // Spark and Delta (Scala) also throw checked exceptions undeclared
      if (e instanceof io.tillstream.config.ConfigError c) {
        throw c;
      }
      status = "FAILED";
      failure = e;
      error = e.toString();
      org.apache.logging.log4j.LogManager.getLogger(BatchCommand.class).error("batch run " + runId + " failed", e);
    }
    RunRecord record = RunRecord.of(runId, job, started).status(status).input(inputLabel).dates(s.from(), s.to())
        .filesRead(files).result(result).messages(messages).stages(timer.ordered()).versions(versions).error(error)
        .landingDate(landingDate).referenceData(referenceData).finishedNow();
    // The run's own row cannot name the version it creates; the summary printed afterwards does.
    versions.put("ops.runs", new OpsLog(lake).append(record));
    MetricsTextfile.handOver(s.config(), lake, record);
    return new Executed(record, failure);
  }

  /** JOB-yyyyMMddTHHmmssZ-xxxxxxxx */
  public static String runId(String job, Instant started) {
    return job + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(started)
        + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static String summary(RunRecord r) {
    StringBuilder sb = new StringBuilder();
    sb.append("run ").append(r.runId()).append(' ').append(r.status()).append(" in ")
        .append(r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli()).append(" ms\n");
    if (r.result() != null) {
      IngestResult x = r.result();
      sb.append("  files read: ").append(r.filesRead()).append('\n');
      sb.append("  ").append(x.reconciliation()).append('\n');
      sb.append("  accepted lines: ").append(x.acceptedLines()).append('\n');
      sb.append("  rejected by rule: ").append(x.rejectedByRule()).append('\n');
      sb.append("  warnings: ").append(x.warnings()).append('\n');
      sb.append("  business dates touched: ").append(x.touchedDates().isEmpty() ? "none"
          : x.touchedDates().first() + " .. " + x.touchedDates().last() + " (" + x.touchedDates().size() + ")")
          .append('\n');
    }
    return appendRunTail(sb, r);
  }

  /** The end of every run summary: warnings, stage timings, table versions and the error, if any. */
  static String appendRunTail(StringBuilder sb, RunRecord r) {
    r.warningMessages().forEach(w -> sb.append("  warning: ").append(w).append('\n'));
    sb.append("  stage ms: ").append(r.stageMillis()).append('\n');
    sb.append("  table versions: ").append(r.tableVersions());
    if (r.error() != null) {
      sb.append("\n  error: ").append(r.error());
    }
    return sb.toString();
  }
}
