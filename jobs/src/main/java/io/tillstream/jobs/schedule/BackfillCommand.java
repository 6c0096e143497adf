package io.tillstream.jobs.schedule;

import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.cli.DateRange;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.Progress;
import io.tillstream.jobs.cli.RunSession;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.metrics.MetricsTextfile;
import io.tillstream.lake.Lake;
import io.tillstream.privacy.PiiKey;
import io.tillstream.run.OpsLog;
import io.tillstream.run.RunRecord;
import io.tillstream.schedule.BackfillPlan;
import io.tillstream.schedule.LandingDays;
import io.tillstream.schedule.RunLock;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream backfill: the landing days from..to in order, resuming after the last one done. */
@Command(name = "backfill",
    description = {"runs the landing days --from..--to in order, resuming after the last day done",
        "Runs the landing days from..to in order, each like daily (ops.runs job backfill), one line per"
        + " day. It resumes after the last day of the unbroken run of days, from --from on, whose latest daily or"
        + " backfill run in ops.runs succeeded; it stops at the first day that fails or has no input."},
    footer = {"Environment: TILLSTREAM_PII_KEY (required), TILLSTREAM_PII_KEY_ID.", ExitCodes.SCHEDULED_HELP})
public final class BackfillCommand extends JobCommand {
  @Option(names = "--from", paramLabel = "DATE", required = true, description = "first landing day (YYYY-MM-DD)")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", required = true, description = "last landing day (YYYY-MM-DD)")
  LocalDate to;

  @Option(names = "--restart", arity = "0", description = "run every day of the range again, whatever ops.runs says")
  boolean restart;

  @Option(names = "--allow-missing", arity = "0",
      description = "log a day without input as SKIPPED (it counts as done) and go on, instead of exit 4")
  boolean allowMissing;

  @Mixin
  ScheduledOptions options;

  @Override
  public Integer call() {
    PrintStream out = out();
    PrintStream err = err();
    DateRange.checkOrder(from, to);
    if (ChronoUnit.DAYS.between(from, to) >= BackfillPlan.MAX_DAYS) {
      throw new UsageError("--from .. --to spans more than " + BackfillPlan.MAX_DAYS + " days");
    }
    ScheduledOptions.Resolved run = options.resolve(env());
    TillstreamConfig c = run.config();
    String folder = run.landing();
    JobSettings s = run.settings();
    PiiKey key = JobSettings.piiKey(c, env(), s.sampleRun(), err);
    Optional<RunLock> lock = ScheduledDay.lock(s, "tillstream backfill --from " + from + " --to " + to, "backfill",
        err);
    if (lock.isEmpty()) {
      return ExitCodes.ALREADY_RUNNING;
    }
    try (RunLock held = lock.get()) {
      Supplier<SparkSession> spark = () -> RunSession.getOrCreate("tillstream-backfill", c, s.lake(), err);
      Map<LocalDate, String> state = restart ? Map.of()
          : new OpsLog(new Lake(spark.get(), s.lake())).latestStatusByLandingDate(ScheduledDay.JOBS, from, to);
      BackfillPlan plan = BackfillPlan.of(from, to, state);
      if (plan.resumeAfter() != null) {
        say(out, "backfill: resuming after " + plan.resumeAfter() + " (" + plan.done().size()
            + (plan.done().size() == 1 ? " day" : " days") + " already done)");
      }
      Progress progress = Progress.on(err, "backfill");
      int done = 0;
      for (LocalDate day : plan.toRun()) {
        progress.step(done++, plan.toRun().size(), "day " + day);
        ScheduledDay.Outcome o = ScheduledDay.run(day, folder, s, key, "backfill", spark, err, progress);
        progress.end();
        if (o.exitCode() == ExitCodes.NO_INPUT && allowMissing) {
          o = skipped(spark.get(), s, LandingDays.folder(folder, day), day);
        }
        say(out, ScheduledDay.line("backfill", o));
        if (o.exitCode() != ExitCodes.OK) {
          err.println("backfill: stopped at " + day + " (exit " + o.exitCode() + "): " + o.problem());
          return o.exitCode();
        }
      }
      say(out, "backfill: done " + from + " .. " + to + ": " + plan.toRun().size() + " day(s) run, "
          + plan.done().size() + " already done");
      return ExitCodes.OK;
    }
  }

  /** A day without input under --allow-missing: an ops.runs row SKIPPED, so a resumed backfill passes it. */
  private static ScheduledDay.Outcome skipped(SparkSession spark, JobSettings s, String folder, LocalDate day) {
    Instant now = Instant.now();
    RunRecord r = RunRecord.of(BatchCommand.runId("backfill", now), "backfill", now).status("SKIPPED").input(folder)
        .messages(List.of("no event files in " + folder + "; skipped (--allow-missing)")).landingDate(day)
        .finishedAt(now);
    Lake lake = new Lake(spark, s.lake());
    new OpsLog(lake).append(r);
    MetricsTextfile.handOver(s.config(), lake, r);
    return new ScheduledDay.Outcome(day, ExitCodes.OK, r, null);
  }

  private static void say(PrintStream out, String line) {
    out.println(line);
    out.flush();
  }
}
