package io.tillstream.jobs;

import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.batch.ReplayCommand;
import io.tillstream.jobs.cli.Cli;
import io.tillstream.jobs.cli.CommandContext;
import io.tillstream.jobs.cli.CompletionCommand;
import io.tillstream.jobs.cli.ConfigCommand;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.VersionInfo;
import io.tillstream.jobs.export.ExportCommand;
import io.tillstream.jobs.kafka.PublishCommand;
import io.tillstream.jobs.report.ReportCommand;
import io.tillstream.jobs.schedule.BackfillCommand;
import io.tillstream.jobs.schedule.DailyCommand;
import io.tillstream.jobs.serve.ServeCommand;
import io.tillstream.jobs.stream.ParityCommand;
import io.tillstream.jobs.stream.StreamCommand;
import io.tillstream.jobs.tools.GenerateCommand;
import io.tillstream.jobs.tools.MaintainCommand;
import io.tillstream.jobs.tools.SqlCommand;
import io.tillstream.jobs.tools.StatusCommand;
import io.tillstream.jobs.tools.ValidateCommand;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The command-line entry point: tillstream COMMAND [options]; the commands, in the order help lists them. */
@Command(name = "tillstream", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Retail sales events into trustworthy analytics, in batch and in streaming.",
    synopsisSubcommandLabel = "COMMAND", footer = "tillstream COMMAND --help describes a command's options.",
    subcommands = {BatchCommand.class, StreamCommand.class, DailyCommand.class, BackfillCommand.class,
        PublishCommand.class, ParityCommand.class, SqlCommand.class, ServeCommand.class, ExportCommand.class,
        ReportCommand.class, ReplayCommand.class, MaintainCommand.class, ValidateCommand.class, StatusCommand.class,
        GenerateCommand.class, ConfigCommand.class, CompletionCommand.class, HelpCommand.class})
public final class Main implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command; returns the exit code (see {@link ExitCodes}). */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, CommandContext.of(env, out, err));
  }

  public static int run(String[] args, CommandContext context) {
    return Cli.run(new Main(), args, context);
  }

  /** No command given: the list of commands on standard error, exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE_OR_CONFIG;
  }
}
