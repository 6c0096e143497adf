package io.tillstream.jobs.schedule;

import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.Progress;
import io.tillstream.privacy.PiiKey;
import io.tillstream.retry.RetryPolicy;
import io.tillstream.run.IngestResult;
import io.tillstream.run.RunFailure;
import io.tillstream.run.RunRecord;
import io.tillstream.schedule.LandingDays;
import io.tillstream.schedule.RunLock;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * One landing day through the batch run (ingest, gold refresh of every touched business date, ops.runs row),
 * retried after transient failures: what daily and backfill share, with their lock.
 */
public final class ScheduledDay {
  /** The jobs whose ops.runs rows carry a landing day. */
  static final List<String> JOBS = List.of("daily", "backfill");

  /** How a day ended: an exit code, the run's row (null when nothing ran) and, unless it succeeded, why. */
  record Outcome(LocalDate day, int exitCode, RunRecord record, String problem) {}

  static Outcome run(LocalDate day, String landing, JobSettings base, PiiKey key, String job,
      Supplier<SparkSession> spark, PrintStream err, Progress progress) {
    TillstreamConfig config = base.config();
    RetryPolicy policy = new RetryPolicy(config.get(ConfigKeys.SCHEDULE_RETRIES),
        config.get(ConfigKeys.SCHEDULE_RETRY_BACKOFF),
        RetryPolicy.THREAD_SLEEP);
    String folder = LandingDays.folder(landing, day);
    try {
      RunRecord record = policy.run(() -> attempt(day, landing, base.withInputs(List.of(folder)), key, job, spark,
          progress),
          ScheduledDay::isTransient, r -> err.println(job + " " + day + ": transient failure (" + brief(r.failure())
              + "); retry " + r.retry() + " of " + r.retries() + " in " + r.delay().toSeconds() + "s"));
      return new Outcome(day, record.status().equals("SUCCEEDED") ? ExitCodes.OK : ExitCodes.RUN_FAILED, record,
          record.error());
    } catch (LandingDays.NoInput e) {
      return new Outcome(day, ExitCodes.NO_INPUT, null, e.getMessage());
    } catch (RetryPolicy.Exhausted e) {
      return new Outcome(day, ExitCodes.TRANSIENT_FAILURE, null, "transient failure persisted after "
          + e.attempts() + " attempt(s): " + brief(e.getCause()));
    }
  }

  private static RunRecord attempt(LocalDate day, String landing, JobSettings s, PiiKey key, String job,
      Supplier<SparkSession> spark, Progress progress) {
    if (LandingDays.eventFiles(hadoopConfiguration(s.config()), landing, day).isEmpty()) {
      throw new LandingDays.NoInput(LandingDays.folder(landing, day), day);
    }
    BatchCommand.Executed run = BatchCommand.execute(spark.get(), s, key, s.inputs().get(0), job, day,
        progress);
    if (run.failure() != null && isTransient(run.failure())) {
      // Retried; its FAILED row is in ops.runs already.
      throw run.failure() instanceof RuntimeException r ? r : new IllegalStateException(run.failure());
    }
    return run.record();
  }

  /** Checks, rule failures, configuration problems and missing input do not go away by retrying. */
  static boolean isTransient(Exception e) {
    return !(e instanceof RunFailure || e instanceof ConfigError || e instanceof LandingDays.NoInput);
  }

  /** The lake's run lock, or empty (after saying who holds it) when another run has it. */
  static Optional<RunLock> lock(JobSettings s, String holder, String job, PrintStream err) {
    Optional<RunLock> lock;
    try {
      lock = RunLock.tryAcquire(s.config().get(ConfigKeys.SCHEDULE_LOCK_DIR), s.lake(), holder);
    } catch (UncheckedIOException e) {
      throw new ConfigError(e.getMessage() + ": " + e.getCause().getMessage()
          + " (set schedule.lock-dir to a writable local folder)");
    }
    if (lock.isEmpty()) {
      String who = RunLock.holder(s.config().get(ConfigKeys.SCHEDULE_LOCK_DIR), s.lake());
      err.println(job + ": already running on lake " + s.lake() + " (" + (who.isEmpty() ? "holder unknown" : who)
          + "; lock " + RunLock.file(s.config().get(ConfigKeys.SCHEDULE_LOCK_DIR), s.lake()) + "); nothing done");
    }
    return lock;
  }

  /** One line per day: date, status, counts, duration. */
  static String line(String job, Outcome o) {
    StringBuilder sb = new StringBuilder(job).append(' ').append(o.day()).append(' ');
    RunRecord r = o.record();
    if (r == null) {
      return sb.append(o.exitCode() == ExitCodes.NO_INPUT ? "NO_INPUT" : "FAILED").append(": ").append(o.problem())
          .toString();
    }
    sb.append(r.status());
    IngestResult x = r.result();
    if (x != null) {
      sb.append(" read ").append(x.read()).append(" accepted ").append(x.accepted()).append(" quarantined ")
          .append(x.quarantined()).append(" duplicates ").append(x.duplicates());
    }
    sb.append(" in ").append(r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli()).append(" ms");
    return r.error() == null ? sb.toString() : sb.append(": ").append(r.error()).toString();
  }

  /** The Hadoop settings a Spark session would get (spark.hadoop.* keys), for looking at the landing folder. */
  static Configuration hadoopConfiguration(TillstreamConfig config) {
    Configuration h = new Configuration();
    config.sparkSettings().forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) {
        h.set(k.substring("spark.hadoop.".length()), v);
      }
    });
    return h;
  }

  private static String brief(Throwable e) {
    String s = String.valueOf(e);
    return s.length() > 300 ? s.substring(0, 300) + " ..." : s;
  }

  private ScheduledDay() {}
}
