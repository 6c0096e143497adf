package io.tillstream.jobs.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A subcommand: picocli fills its option fields from the command line, {@link Cli} hands it the context, then
 * calls it for the exit code ({@link ExitCodes}).
 */
public abstract class JobCommand implements Callable<Integer> {
  private CommandContext context;

  final void bind(CommandContext c) {
    this.context = c;
  }

  protected final CommandContext context() {
    return context;
  }

  protected final Map<String, String> env() {
    return context.env();
  }

  protected final PrintStream out() {
    return context.out();
  }

  protected final PrintStream err() {
    return context.err();
  }
}
