package io.tillstream.jobs.cli;

import io.tillstream.run.StageTimer;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work on standard error, never on standard output where results go: on a terminal one line that
 * updates in place (with a bar for counted steps), otherwise one plain line per stage or step, for logs.
 */
public final class Progress implements StageTimer.Listener {
  private static final int BAR = 20;

  private final PrintStream err;
  private final String job;
  private final boolean terminal;
  private final long startedNanos = System.nanoTime();

  Progress(PrintStream err, String job, boolean terminal) {
    this.err = err;
    this.job = job;
    this.terminal = terminal;
  }

  /** Progress of {@code job} on {@code err}; the updating line only when it is the JVM's terminal. */
  public static Progress on(PrintStream err, String job) {
    return new Progress(err, job, err == System.err && System.console() != null);
  }

  /** Progress that shows nothing (work run on behalf of another command, tests). */
  public static Progress none() {
    return new Progress(null, "", false);
  }

  @Override
  public void started(String stage) {
    show(stage + " ...");
  }

  @Override
  public void finished(String stage, long millis) {
    if (!terminal) {
      show(stage + " done in " + millis + " ms");
    }
  }

  /** {@code done} of {@code total} counted steps (days, tables), the current one named by {@code what}. */
  public void step(int done, int total, String what) {
    int filled = total == 0 ? BAR : (int) ((long) BAR * done / total);
    show((terminal ? "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " : "") + done + "/" + total + " "
        + what);
  }

  /** Clears the updating line before the results are printed. */
  public void end() {
    if (err != null && terminal) {
      err.print("\r\033[K");
      err.flush();
    }
  }

  private void show(String text) {
    if (err == null) {
      return;
    }
    String line = String.format(Locale.ROOT, "%s [%6.1f s] %s", job, (System.nanoTime() - startedNanos) / 1e9, text);
    if (terminal) {
      err.print("\r\033[K" + line);
    } else {
      err.println(line);
    }
    err.flush();
  }
}
