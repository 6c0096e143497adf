package io.tillstream.jobs.schedule;

import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.Progress;
import io.tillstream.jobs.cli.RunSession;
import io.tillstream.jobs.export.ExportedTable;
import io.tillstream.jobs.export.PostgresExport;
import io.tillstream.lake.Lake;
import io.tillstream.privacy.PiiKey;
import io.tillstream.schedule.LandingDays;
import io.tillstream.schedule.RunLock;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
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
    String exportTo = c.get(ConfigKeys.DAILY_EXPORT) ? c.get(ConfigKeys.EXPORT_JDBC_URL) : "";
    if (c.get(ConfigKeys.DAILY_EXPORT) && exportTo.isEmpty()) {
      throw new ConfigError(ConfigKeys.DAILY_EXPORT.name() + "=true needs " + ConfigKeys.EXPORT_JDBC_URL.name()
          + ": set it to jdbc:postgresql://HOST:PORT/DB?user=USER, or set " + ConfigKeys.DAILY_EXPORT.name()
          + "=false");
    }
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
        return o.exitCode();
      }
      return exportTo.isEmpty() ? ExitCodes.OK : export(exportTo, s.lake(), out, err, day);
    }
  }

  /** The days of gold the run changed, into PostgreSQL (export's fingerprints find them); a failure fails daily. */
  private int export(String url, String lake, PrintStream out, PrintStream err, LocalDate day) {
    try {
      Lake gold = new Lake(SparkSession.active(), lake);
      for (PostgresExport.TableResult r : PostgresExport.run(gold, url, env(), List.of(ExportedTable.values()), null,
          null)) {
        out.println("export " + r);
      }
      return ExitCodes.OK;
    } catch (SQLException e) {
      err.println("daily " + day + ": the lake is up to date, the export to PostgreSQL failed (run export to"
          + " retry): " + e.getMessage());
      return ExitCodes.RUN_FAILED;
    }
  }
}
