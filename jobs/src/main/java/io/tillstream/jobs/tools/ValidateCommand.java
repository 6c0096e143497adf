package io.tillstream.jobs.tools;

import io.tillstream.config.ConfigKeys;
import io.tillstream.dims.Dimensions;
import io.tillstream.dims.FxRates;
import io.tillstream.ingest.InputFiles;
import io.tillstream.ingest.InputSample;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.RunOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** scripts/tillstream validate: checks configuration, inputs and dimensions without running anything. */
@Command(name = "validate",
    description = {"checks configuration, inputs and reference data without running",
        "Checks the configuration (unknown keys, bad values), that the inputs exist and contain event"
        + " files, and that the reference files parse (time zones, rates, headers). Takes the options of batch."
        + " Starts no Spark job."},
    footer = "Exit codes: 0 valid, 2 a problem, named in the message.")
public final class ValidateCommand extends JobCommand {
  static final int SAMPLE_LINES = 1000;

  @Mixin
  RunOptions options;

  @Override
  public Integer call() {
    Map<String, String> env = env();
    PrintStream out = out();
    JobSettings s = options.settings(env);
    Configuration hadoop = new Configuration();
    Dimensions dims = Dimensions.load(hadoop, s.dims());
    InputFiles.Listing listing = InputFiles.listing(hadoop, s.inputs(), s.from(), s.to());
    List<String> files = listing.files();
    out.println("configuration: ok (" + s.config().effective().size() + " keys, reporting currency "
        + s.config().get(ConfigKeys.REPORTING_CURRENCY) + ")");
    out.println("dimensions: " + dims.stores().size() + " stores, " + dims.products().size() + " products, "
        + dims.fxRates().size() + " FX rates (" + FxRates.daily(dims.fxRates(),
            s.config().get(ConfigKeys.FX_MAX_AGE_DAYS)).size()
        + " usable currency-days)");
    dims.warnings().forEach(w -> out.println("  warning: " + w));
    out.println("inputs: " + files.size() + " event file(s)");
    listing.skipped().forEach(f -> out.println("  warning: not read (not a JSON Lines name): " + f));
    InputSample.Result sample = InputSample.parseIssues(hadoop, files, SAMPLE_LINES);
    out.println("  sampled " + sample.records() + " record(s) (first " + SAMPLE_LINES + " lines per file): "
        + (sample.issues().isEmpty() ? "all well-formed" : "parse issues " + sample.issues()));
    if (files.isEmpty()) {
      out.println("  warning: no event files (*.json, *.jsonl, *.ndjson, optionally .gz) under " + s.inputs());
    }
    out.println("PII key: " + (env.containsKey(io.tillstream.privacy.PiiKey.ENV_KEY) ? "from environment"
        : s.sampleRun() ? "demo key (bundled samples only)" : "MISSING: set TILLSTREAM_PII_KEY"));
    if (!env.containsKey(io.tillstream.privacy.PiiKey.ENV_KEY) && !s.sampleRun()) {
      return ExitCodes.USAGE_OR_CONFIG;
    }
    out.println("valid");
    return ExitCodes.OK;
  }
}
