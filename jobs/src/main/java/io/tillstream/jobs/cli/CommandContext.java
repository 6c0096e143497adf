package io.tillstream.jobs.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** What a command runs with: the environment, where results and diagnostics go, and the clock ("yesterday"). */
public record CommandContext(Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
  public static CommandContext of(Map<String, String> env, PrintStream out, PrintStream err) {
    return new CommandContext(env, out, err, Clock.systemUTC());
  }
}
