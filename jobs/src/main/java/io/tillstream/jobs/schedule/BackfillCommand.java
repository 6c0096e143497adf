package io.tillstream.jobs.schedule;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.cli.Args;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
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
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** scripts/tillstream backfill: the landing days from..to in order, resuming after the last one done. */
public final class BackfillCommand {
  public static final String USAGE = """
      usage: tillstream backfill --from DATE --to DATE [--restart] [--allow-missing] [--landing DIR] [--dims DIR]
                                 [--lake DIR] [--conf FILE] [--set KEY=VALUE]...
        Runs the landing days from..to in order, each like daily (ops.runs job backfill), one line per day. It
        resumes after the last day of the unbroken run of days, from --from on, whose latest daily or backfill
        run in ops.runs succeeded; it stops at the first day that fails or has no input.
        --restart        run every day of the range again, whatever ops.runs says
        --allow-missing  log a day without input as SKIPPED (it counts as done) and go on, instead of exit 4
        --landing DIR    root of the date=YYYY-MM-DD folders (default: schedule.landing)
        --dims DIR       reference data (default: data-samples/dims); --lake, --conf, --set as for batch
      Environment: TILLSTREAM_PII_KEY (required), TILLSTREAM_PII_KEY_ID.
      """ + ExitCodes.SCHEDULED_HELP;

  static final Set<String> OPTIONS = Set.of("from", "to", "landing", "dims", "lake", "conf", "set");
  static final Set<String> FLAGS = Set.of("restart", "allow-missing");

  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
    Args a = Args.parse(argv, OPTIONS, Set.of("set"), FLAGS, 0);
    if (a.help()) {
      out.println(USAGE);
      return ExitCodes.OK;
    }
    LocalDate from = a.date("from");
    LocalDate to = a.date("to");
    if (from == null || to == null) {
      throw new UsageError("--from and --to are required");
    }
    if (from.isAfter(to)) {
      throw new UsageError("--from " + from + " is after --to " + to);
    }
    if (ChronoUnit.DAYS.between(from, to) >= BackfillPlan.MAX_DAYS) {
      throw new UsageError("--from .. --to spans more than " + BackfillPlan.MAX_DAYS + " days");
    }
    TillstreamConfig config = JobSettings.config(a, env);
    String landing = a.get("landing", config.get(ConfigKeys.SCHEDULE_LANDING));
    JobSettings s = JobSettings.over(List.of(landing), a, env, config);
    PiiKey key = JobSettings.piiKey(config, env, s.sampleRun(), err);
    Optional<RunLock> lock = ScheduledDay.lock(s, "tillstream backfill --from " + from + " --to " + to, "backfill",
        err);
    if (lock.isEmpty()) {
      return ExitCodes.ALREADY_RUNNING;
    }
    try (RunLock held = lock.get()) {
      Supplier<SparkSession> spark = () -> SparkSessions.getOrCreate("tillstream-backfill", config.sparkSettings());
      Map<LocalDate, String> state = a.flag("restart") ? Map.of()
          : new OpsLog(new Lake(spark.get(), s.lake())).latestStatusByLandingDate(ScheduledDay.JOBS, from, to);
      BackfillPlan plan = BackfillPlan.of(from, to, state);
      if (plan.resumeAfter() != null) {
        say(out, "backfill: resuming after " + plan.resumeAfter() + " (" + plan.done().size()
            + (plan.done().size() == 1 ? " day" : " days") + " already done)");
      }
      for (LocalDate day : plan.toRun()) {
        ScheduledDay.Outcome o = ScheduledDay.run(day, landing, s, key, "backfill", spark, err);
        if (o.exitCode() == ExitCodes.NO_INPUT && a.flag("allow-missing")) {
          o = skipped(spark.get(), s, LandingDays.folder(landing, day), day);
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
    RunRecord r = new RunRecord(BatchCommand.runId("backfill", now), "backfill", "SKIPPED", now, now, folder,
        null, null, 0, null, List.of("no event files in " + folder + "; skipped (--allow-missing)"), Map.of(),
        Map.of(), null, day);
    new OpsLog(new Lake(spark, s.lake())).append(r);
    return new ScheduledDay.Outcome(day, ExitCodes.OK, r, null);
  }

  private static void say(PrintStream out, String line) {
    out.println(line);
    out.flush();
  }

  private BackfillCommand() {}
}
