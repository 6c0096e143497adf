package io.tillstream.jobs.batch;

import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.dims.CurrentDimensions;
import io.tillstream.dims.Dimensions;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.DateRange;
import io.tillstream.jobs.cli.DimsOption;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.LakeOption;
import io.tillstream.jobs.cli.Progress;
import io.tillstream.jobs.cli.RunSession;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.metrics.MetricsTextfile;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.privacy.PiiKey;
import io.tillstream.quality.QualityRule;
import io.tillstream.quality.QualityRules;
import io.tillstream.run.IngestResult;
import io.tillstream.run.OpsLog;
import io.tillstream.run.PipelineContexts;
import io.tillstream.run.QuarantineReplay;
import io.tillstream.run.RunRecord;
import io.tillstream.run.StageTimer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * scripts/tillstream replay-quarantine: re-runs still-quarantined records through the pipeline with the current
 * reference data (see {@link QuarantineReplay}), refreshes gold for what it accepted, logs an ops.runs row.
 */
@Command(name = "replay-quarantine",
    description = {"re-runs still-quarantined records with the current reference data:"
        + " what passes goes to silver and gold",
        "Re-runs the records still in silver.quarantine (resolved_by_run IS NULL) through the same pipeline"
        + " with the current reference data. Records that now pass go to silver and gold is refreshed for their"
        + " dates; their quarantine rows (and those of duplicates of accepted records) get resolved_by_run and"
        + " resolved_at. Records that fail again stay quarantined with their new reasons. Bronze is not changed."
        + " Running it again with the same arguments changes nothing.",
        "With --from and --to only records whose business date lies in the range are replayed (either end may be"
        + " open); records without a business date (unparseable, unknown store) are replayed only without them."},
    footer = {"Environment: TILLSTREAM_PII_KEY, TILLSTREAM_PII_KEY_ID: only records tokenized with this key id are"
        + " replayed.",
        "Exit codes: 0 success (also: nothing to replay), 1 run failed (fail-severity rule, not reconciled, error),"
        + " 2 usage or config error (also: no silver.quarantine in the lake)."})
public final class ReplayCommand extends JobCommand {
  @Option(names = "--rule", paramLabel = "RULE", completionCandidates = QuarantiningRules.class,
      description = "replay the records that broke RULE; repeatable (default: every rule)")
  List<String> rules = new ArrayList<>();

  @Mixin
  DateRange range;

  @Mixin
  DimsOption dims;

  @Mixin
  LakeOption lake;

  @Mixin
  ConfigOptions config;

  /** The rules --rule accepts, for shell completion. */
  static final class QuarantiningRules extends ArrayList<String> {
    QuarantiningRules() {
      super(quarantiningRules());
    }
  }

  /** Rules that can put a record into quarantine (line and reference-data rules cannot). */
  static List<String> quarantiningRules() {
    Set<QualityRule.Scope> scopes = EnumSet.of(QualityRule.Scope.PARSE, QualityRule.Scope.EVENT,
        QualityRule.Scope.DEDUPLICATION);
    return QualityRules.all().stream().filter(r -> scopes.contains(r.scope())).map(QualityRule::id).toList();
  }

  @Override
  public Integer call() {
    List<String> selected = rules.stream().distinct().toList();
    for (String r : selected) {
      if (!quarantiningRules().contains(r)) {
        throw new UsageError("--rule '" + r + "' is not a rule that quarantines records; known rules: "
            + String.join(", ", quarantiningRules()));
      }
    }
    LocalDate from = range.from();
    LocalDate to = range.to();
    Map<String, String> env = env();
    TillstreamConfig config = this.config.load(env);
    JobSettings s = new JobSettings(List.of(), dims.dir(env), lake.root(config), from, to, config, false);
    PiiKey key = JobSettings.piiKey(config, env, JobSettings.samplesOnly(List.of(), s.dims(), env), err());
    SparkSession spark = RunSession.getOrCreate("tillstream-replay", config, s.lake(), err());
    Lake target = new Lake(spark, s.lake());
    if (!target.exists(Table.SILVER_QUARANTINE)) {
      throw new UsageError("no silver.quarantine under " + target.root() + " (check --lake or lake.root)");
    }
    Progress progress = Progress.on(err(), "replay-quarantine");
    Executed e = execute(target, s, key, selected, progress);
    progress.end();
    out().println(summary(e));
    return e.record().status().equals("SUCCEEDED") ? ExitCodes.OK : ExitCodes.RUN_FAILED;
  }

  /** The replay's ops.runs row and, unless nothing was selected or it failed before, what it did. */
  record Executed(RunRecord record, QuarantineReplay.Outcome outcome, List<String> rules) {}

  static Executed execute(Lake lake, JobSettings s, PiiKey key, List<String> rules, Progress progress) {
    SparkSession spark = lake.spark();
    Instant started = Instant.now();
    String runId = BatchCommand.runId("replay", started);
    StageTimer timer = new StageTimer(progress);
    List<String> messages = new ArrayList<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    QuarantineReplay.Outcome outcome = null;
    IngestResult result = null;
    String status = "SUCCEEDED";
    String error = null;
    String referenceData = null;
    try {
      CurrentDimensions.Loaded loaded = timer.time("load dimensions", () ->
          CurrentDimensions.load(spark.sparkContext().hadoopConfiguration(), s.dims()));
      Dimensions dims = loaded.dims();
      referenceData = loaded.fingerprint();
      messages.addAll(dims.warnings());
      // No business-date range in the context: the range selects the records, it does not judge them.
      PipelineContext ctx = PipelineContexts.build(spark, s.config(), dims, key, started, null, null);
      outcome = QuarantineReplay.run(lake, ctx, PipelineContexts.suspiciousRules(s.config()),
          s.config().get(ConfigKeys.GOLD_PUBLISH_PARQUET),
              rules, s.from(), s.to(), runId, Timestamp.from(started), timer);
      messages.addAll(outcome.messages());
      result = outcome.result();
      if (outcome.run() != null) {
        versions.putAll(outcome.run().tableVersions());
        if (!outcome.run().succeeded()) {
          status = "FAILED";
          error = outcome.run().error();
        }
      }
    } catch (ConfigError e) {
      throw e;
    } catch (Exception e) { // Spark and Delta (Scala) also throw checked exceptions undeclared
      status = "FAILED";
      error = e.toString();
      LogManager.getLogger(ReplayCommand.class).error("replay " + runId + " failed", e);
    }
    String input = "silver.quarantine, rules: " + (rules.isEmpty() ? "all" : String.join(",", rules));
    RunRecord record = RunRecord.of(runId, "replay", started).status(status).input(input).dates(s.from(), s.to())
        .result(result).messages(messages).stages(timer.ordered()).versions(versions).error(error)
        .referenceData(referenceData).finishedNow();
    versions.put(Table.OPS_RUNS.qualifiedName(), new OpsLog(lake).append(record));
    MetricsTextfile.handOver(s.config(), lake, record);
    return new Executed(record, outcome, rules);
  }

  static String summary(Executed e) {
    RunRecord r = e.record();
    StringBuilder sb = new StringBuilder();
    sb.append("replay ").append(r.runId()).append(' ').append(r.status()).append(" in ")
        .append(r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli()).append(" ms\n");
    sb.append("  selection: rules ").append(e.rules().isEmpty() ? "all" : String.join(", ", e.rules()))
        .append(", business dates ").append(r.dateFrom() == null && r.dateTo() == null ? "any"
            : (r.dateFrom() == null ? "..." : r.dateFrom()) + " .. " + (r.dateTo() == null ? "..." : r.dateTo()))
        .append('\n');
    QuarantineReplay.Outcome o = e.outcome();
    if (o != null) {
      sb.append("  unresolved with these rules: ").append(o.candidates()).append(", replayed: ")
          .append(o.result().read());
      if (o.outsideRange() > 0) {
        sb.append(" (").append(o.outsideRange()).append(" outside the business dates or without one)");
      }
      sb.append('\n');
      IngestResult x = o.result();
      sb.append("  ").append(o.reconciliation()).append('\n');
      sb.append("  accepted lines: ").append(x.acceptedLines()).append('\n');
      sb.append("  still quarantined by rule: ").append(x.rejectedByRule()).append('\n');
      sb.append("  gold refreshed for business dates: ").append(x.touchedDates().isEmpty() ? "none"
          : x.touchedDates().first() + " .. " + x.touchedDates().last() + " (" + x.touchedDates().size() + ")")
          .append('\n');
      if (x.read() == 0) {
        sb.append("  nothing to replay\n");
      }
    }
    return BatchCommand.appendRunTail(sb, r);
  }
}
