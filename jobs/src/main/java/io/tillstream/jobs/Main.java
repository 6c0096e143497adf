package io.tillstream.jobs;

import io.tillstream.config.ConfigError;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.batch.ReplayCommand;
import io.tillstream.jobs.cli.ConfigCommand;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.kafka.PublishCommand;
import io.tillstream.jobs.schedule.BackfillCommand;
import io.tillstream.jobs.schedule.DailyCommand;
import io.tillstream.jobs.stream.ParityCommand;
import io.tillstream.jobs.stream.StreamCommand;
import io.tillstream.jobs.tools.GenerateCommand;
import io.tillstream.jobs.tools.MaintainCommand;
import io.tillstream.jobs.tools.SqlCommand;
import io.tillstream.jobs.tools.ValidateCommand;
import io.tillstream.run.RunFailure;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/** The command-line entry point: tillstream COMMAND [options]. */
public final class Main {
  static final String USAGE = """
      usage: tillstream COMMAND [options]     (tillstream COMMAND --help for its options)
        batch      run the batch pipeline over input files: bronze, silver, quarantine, gold, ops
        stream     run the same pipeline as a Structured Streaming job over Kafka or a landing folder
        daily      ingest one landing day (default: yesterday) and refresh gold; for cron or a systemd timer
        backfill   run the landing days --from..--to in order, resuming after the last day done
        publish    send JSON Lines files to a Kafka topic
        verify-parity  run the batch and the streaming job over the same input and compare every table
        sql        run Spark SQL over the lake's tables, print CSV
        replay-quarantine  re-run still-quarantined records with the current reference data
        maintain   compact small files (OPTIMIZE) and delete unneeded old ones (VACUUM), safe beside running jobs
        validate   check configuration, inputs and reference data without running
        generate   write deterministic synthetic events and reference data
        config     print the effective configuration""";

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command; returns the exit code (see {@link ExitCodes}). */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      (args.length == 0 ? err : out).println(USAGE);
      return args.length == 0 ? ExitCodes.USAGE_OR_CONFIG : ExitCodes.OK;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (command) {
        case "batch" -> BatchCommand.run(rest, env, out, err);
        case "stream" -> StreamCommand.run(rest, env, out, err);
        case "daily" -> DailyCommand.run(rest, env, out, err);
        case "backfill" -> BackfillCommand.run(rest, env, out, err);
        case "verify-parity" -> ParityCommand.run(rest, env, out, err);
        case "publish" -> PublishCommand.run(rest, out);
        case "sql" -> SqlCommand.run(rest, env, out);
        case "replay-quarantine" -> ReplayCommand.run(rest, env, out, err);
        case "maintain" -> MaintainCommand.run(rest, env, out);
        case "validate" -> ValidateCommand.run(rest, env, out);
        case "generate" -> GenerateCommand.run(rest, out);
        case "config" -> ConfigCommand.run(rest, env, out);
        default -> throw new UsageError("unknown command '" + command + "'");
      };
    } catch (UsageError e) {
      err.println("error: " + e.getMessage());
      err.println(usageOf(command));
      return ExitCodes.USAGE_OR_CONFIG;
    } catch (ConfigError e) {
      err.println("configuration error: " + e.getMessage());
      return ExitCodes.USAGE_OR_CONFIG;
    } catch (RunFailure e) {
      err.println("run failed: " + e.getMessage());
      return ExitCodes.RUN_FAILED;
    } catch (Exception e) {
      err.println("failed: " + e);
      e.printStackTrace(err);
      return ExitCodes.RUN_FAILED;
    }
  }

  private static String usageOf(String command) {
    return switch (command) {
      case "batch" -> BatchCommand.USAGE;
      case "stream" -> StreamCommand.USAGE;
      case "daily" -> DailyCommand.USAGE;
      case "backfill" -> BackfillCommand.USAGE;
      case "verify-parity" -> ParityCommand.USAGE;
      case "publish" -> PublishCommand.USAGE;
      case "sql" -> SqlCommand.USAGE;
      case "replay-quarantine" -> ReplayCommand.USAGE;
      case "maintain" -> MaintainCommand.USAGE;
      case "validate" -> ValidateCommand.USAGE;
      case "generate" -> GenerateCommand.USAGE;
      case "config" -> ConfigCommand.USAGE;
      default -> USAGE;
    };
  }

  private Main() {}
}
