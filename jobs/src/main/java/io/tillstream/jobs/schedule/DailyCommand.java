package io.tillstream.jobs.schedule;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.cli.Args;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.lake.SparkSessions;
import io.tillstream.privacy.PiiKey;
import io.tillstream.schedule.LandingDays;
import io.tillstream.schedule.RunLock;
import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** scripts/tillstream daily: one landing day into the lake, for a scheduler (cron, systemd timer). */
public final class DailyCommand {
  public static final String USAGE = """
      usage: tillstream daily [--date DATE] [--landing DIR] [--dims DIR] [--lake DIR] [--conf FILE]
                              [--set KEY=VALUE]...
        Ingests the landing folder <landing>/date=DATE/ and refreshes every gold partition its events touch (late
        events of earlier business dates included), then logs one ops.runs row (job daily, landing_date DATE).
        Running a day again changes no table. A lock per lake stops overlapping daily/backfill runs; transient
        failures are retried schedule.retries times, after schedule.retry-backoff, doubled each time.
        --date DATE    the landing day, YYYY-MM-DD (default: yesterday in schedule.time-zone)
        --landing DIR  root of the date=YYYY-MM-DD folders, any Hadoop file system URI (default: schedule.landing)
        --dims DIR     reference data (default: data-samples/dims); --lake, --conf, --set as for batch
      Environment: TILLSTREAM_PII_KEY (required), TILLSTREAM_PII_KEY_ID.
      """ + ExitCodes.SCHEDULED_HELP;

  static final Set<String> OPTIONS = Set.of("date", "landing", "dims", "lake", "conf", "set");

  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(argv, env, out, err, Clock.systemUTC());
  }

  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
    Args a = Args.parse(argv, OPTIONS, Set.of("set"), 0);
    if (a.help()) {
      out.println(USAGE);
      return ExitCodes.OK;
    }
    TillstreamConfig config = JobSettings.config(a, env);
    LocalDate day = a.date("date") != null ? a.date("date") :
        LandingDays.yesterday(clock, config.get(ConfigKeys.SCHEDULE_TIME_ZONE));
    String landing = a.get("landing", config.get(ConfigKeys.SCHEDULE_LANDING));
    JobSettings s = JobSettings.over(List.of(landing), a, env, config);
    PiiKey key = JobSettings.piiKey(config, env, s.sampleRun(), err);
    Optional<RunLock> lock = ScheduledDay.lock(s, "tillstream daily --date " + day, "daily", err);
    if (lock.isEmpty()) {
      return ExitCodes.ALREADY_RUNNING;
    }
    try (RunLock held = lock.get()) {
      ScheduledDay.Outcome o = ScheduledDay.run(day, landing, s, key, "daily",
          () -> SparkSessions.getOrCreate("tillstream-daily", config.sparkSettings()), err);
      if (o.record() != null) {
        out.println(BatchCommand.summary(o.record()));
      }
      if (o.exitCode() != ExitCodes.OK) {
        err.println("daily " + day + ": " + o.problem());
      }
      return o.exitCode();
    }
  }

  private DailyCommand() {}
}
