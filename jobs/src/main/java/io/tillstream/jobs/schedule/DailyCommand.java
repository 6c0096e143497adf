package io.tillstream.jobs.schedule;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.Progress;
import io.tillstream.jobs.cli.RunSession;
import io.tillstream.privacy.PiiKey;
import io.tillstream.schedule.LandingDays;
import io.tillstream.schedule.RunLock;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream daily: one landing day into the lake, for a scheduler (cron, systemd timer). */
@Command(name = "daily",
    description = {"ingests one landing day (default: yesterday) and refreshes gold; for cron or a"
        + " systemd timer",
        "Ingests the landing folder <landing>/date=DATE/ and refreshes every gold partition its events"
        + " touch (late events of earlier business dates included), then logs one ops.runs row (job daily,"
        + " landing_date DATE). Running a day again changes no table. A lock per lake stops overlapping"
        + " daily/backfill runs; transient failures are retried schedule.retries times, after"
        + " schedule.retry-backoff, doubled each time."},
    footer = {"Environment: TILLSTREAM_PII_KEY (required), TILLSTREAM_PII_KEY_ID.", ExitCodes.SCHEDULED_HELP})
public final class DailyCommand extends JobCommand {
  @Option(names = "--date", paramLabel = "DATE",
      description = "the landing day, YYYY-MM-DD (default: yesterday in schedule.time-zone)")
  LocalDate date;

  @Mixin
  ScheduledOptions options;

  @Override
  public Integer call() {
    PrintStream out = out();
    PrintStream err = err();
    ScheduledOptions.Resolved run = options.resolve(env());
    TillstreamConfig c = run.config();
    LocalDate day = date != null ? date
        : LandingDays.yesterday(context().clock(), c.get(ConfigKeys.SCHEDULE_TIME_ZONE));
    String folder = run.landing();
    JobSettings s = run.settings();
    PiiKey key = JobSettings.piiKey(c, env(), s.sampleRun(), err);
    Optional<RunLock> lock = ScheduledDay.lock(s, "tillstream daily --date " + day, "daily", err);
    if (lock.isEmpty()) {
      return ExitCodes.ALREADY_RUNNING;
    }
    try (RunLock held = lock.get()) {
      Progress progress = Progress.on(err, "daily");
      ScheduledDay.Outcome o = ScheduledDay.run(day, folder, s, key, "daily",
          () -> RunSession.getOrCreate("tillstream-daily", c, s.lake(), err), err, progress);
      progress.end();
      if (o.record() != null) {
        out.println(BatchCommand.summary(o.record()));
      }
      if (o.exitCode() != ExitCodes.OK) {
        err.println("daily " + day + ": " + o.problem());
      }
      return o.exitCode();
    }
  }
}
