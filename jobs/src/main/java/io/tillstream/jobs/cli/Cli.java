package io.tillstream.jobs.cli;

import io.tillstream.config.ConfigError;
import io.tillstream.run.RunFailure;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line on picocli: the commands and options are declared by annotations on the command classes; this
 * class sets up how they parse, print help and turn errors into the documented exit codes.
 */
public final class Cli {
  /** Help is wrapped at this width. */
  static final int HELP_WIDTH = 120;

  /** picocli's words for --flag=value where the flag takes none. */
  private static final Pattern FLAG_WITH_VALUE = Pattern.compile("option '(-[^']+)' should be specified without");

  /** The command line for {@code root} and its subcommands, bound to {@code context}. */
  public static CommandLine commandLine(Object root, CommandContext context) {
    CommandLine cl = new CommandLine(root, new ContextFactory(context))
        .setExpandAtFiles(false) // an argument starting with @ is a value (a SQL statement may), never a file name
        .setUsageHelpWidth(HELP_WIDTH)
        .setOut(writer(context.out()))
        .setErr(writer(context.err()))
        .setParameterExceptionHandler(Cli::onWrongArguments)
        .setExecutionExceptionHandler((e, line, parsed) -> onFailure(e, line, context))
        .registerConverter(LocalDate.class, new OptionTypes.Date());
    everyCommand(cl, c -> c.getCommandSpec().usageMessage().synopsisHeading("usage: ").descriptionHeading("%n")
        .optionListHeading("%nOptions:%n").commandListHeading("%nCommands:%n").footerHeading("%n")
        .sortOptions(false).sortSynopsis(false));
    return cl;
  }

  /** Parses and runs {@code args}; returns the exit code. */
  public static int run(Object root, String[] args, CommandContext context) {
    CommandLine cl = commandLine(root, context);
    int code = cl.execute(args);
    cl.getOut().flush();
    cl.getErr().flush();
    return code;
  }

  /** The subcommand {@code args} name, with its options parsed but not run (for tests of option handling). */
  public static <T> T parsed(Object root, CommandContext context, String... args) {
    List<CommandLine> parsed = commandLine(root, context).parseArgs(args).asCommandLineList();
    return parsed.get(parsed.size() - 1).getCommand();
  }

  static void everyCommand(CommandLine cl, Consumer<CommandLine> action) {
    action.accept(cl);
    cl.getSubcommands().values().forEach(sub -> everyCommand(sub, action));
  }

  private static int onWrongArguments(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    cl.getErr().println("error: " + problem(e));
    cl.usage(cl.getErr());
    cl.getErr().flush();
    return ExitCodes.USAGE_OR_CONFIG;
  }

  /** What is wrong with the arguments, in the words the commands always used. */
  static String problem(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      String text = first.startsWith("-") ? "unknown option " + first.split("=", 2)[0]
          : e.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + first + "'"
          : "unknown command '" + first + "'";
      List<String> close = u.getSuggestions();
      return close.isEmpty() ? text : text + " (did you mean " + String.join(" or ", close) + "?)";
    }
    if (e instanceof MissingParameterException m) {
      List<String> missing = m.getMissing().stream().map(Cli::name).toList();
      if (m.getMessage().startsWith("Missing required parameter for option")) {
        return "option " + missing.get(0) + " needs a value";
      }
      return missing.size() == 1 ? "option " + missing.get(0) + " is required"
          : "options " + String.join(", ", missing.subList(0, missing.size() - 1)) + " and "
              + missing.get(missing.size() - 1) + " are required";
    }
    if (e instanceof OverwrittenOptionException o) {
      return "option " + name(o.getOverwritten()) + " given twice";
    }
    if (e.getCause() instanceof TypeConversionException t && e.getArgSpec() != null) {
      return name(e.getArgSpec()) + " " + t.getMessage();
    }
    Matcher flag = FLAG_WITH_VALUE.matcher(e.getMessage());
    if (flag.find()) {
      return "option " + flag.group(1) + " takes no value";
    }
    return e.getMessage();
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
  }

  private static int onFailure(Exception e, CommandLine line, CommandContext context) {
    PrintStream err = context.err();
    context.out().flush();
    if (e instanceof UsageError) {
      err.println("error: " + e.getMessage());
      line.usage(err);
      return ExitCodes.USAGE_OR_CONFIG;
    }
    if (e instanceof ConfigError) {
      err.println("configuration error: " + e.getMessage());
      return ExitCodes.USAGE_OR_CONFIG;
    }
    if (e instanceof RunFailure) {
      err.println("run failed: " + e.getMessage());
      return ExitCodes.RUN_FAILED;
    }
    err.println("failed: " + e);
    e.printStackTrace(err);
    return ExitCodes.RUN_FAILED;
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  /** Makes the command objects and hands each subcommand the context it runs with. */
  private record ContextFactory(CommandContext context) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K made = CommandLine.defaultFactory().create(cls);
      if (made instanceof JobCommand c) {
        c.bind(context);
      }
      return made;
    }
  }

  private Cli() {}
}
