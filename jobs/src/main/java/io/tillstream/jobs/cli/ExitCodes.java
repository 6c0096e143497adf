package io.tillstream.jobs.cli;

/** What every command's exit code means, for people and schedulers (cron, systemd). */
public final class ExitCodes {
  public static final int OK = 0;
  /** The run failed for good: a fail-severity rule fired, it did not reconcile, or an error that is not transient. */
  public static final int RUN_FAILED = 1;
  public static final int USAGE_OR_CONFIG = 2;
  /** daily/backfill: another run holds the lake's lock; nothing was done. */
  public static final int ALREADY_RUNNING = 3;
  /** daily/backfill: the day's landing folder is missing or holds no event files; try again later. */
  public static final int NO_INPUT = 4;
  /** daily/backfill: a transient failure (I/O, concurrent Delta commit, Spark job) outlasted every retry. */
  public static final int TRANSIENT_FAILURE = 5;

  public static final String SCHEDULED_HELP = """
      Exit codes: 0 success; 1 run failed (fail-severity rule, not reconciled; not retried); 2 usage or config error;
        3 already running (another daily/backfill holds this lake's lock; nothing done); 4 no input yet (the day's
        landing folder is missing or empty; try later); 5 transient failure persisted after schedule.retries.""";

  private ExitCodes() {}
}
