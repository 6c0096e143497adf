package io.tillstream.jobs.tools;

import io.tillstream.config.ConfigKeys;
import io.tillstream.dims.Dimensions;
import io.tillstream.dims.FxRates;
import io.tillstream.ingest.InputFiles;
import io.tillstream.ingest.InputSample;
import io.tillstream.jobs.cli.Args;
import io.tillstream.jobs.cli.JobSettings;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** scripts/tillstream validate: checks configuration, inputs and dimensions without running anything. */
public final class ValidateCommand {
  public static final String USAGE = """
      usage: tillstream validate [--input PATH]... [--dims DIR] [--lake DIR] [--from DATE --to DATE]
                                 [--conf FILE] [--set KEY=VALUE]...
        Checks the configuration (unknown keys, bad values), that the inputs exist and contain event files, and
        that the reference files parse (time zones, rates, headers). Starts no Spark job. Exit 0 when valid,
        2 with a message naming the problem otherwise.""";

  public static int run(String[] argv, Map<String, String> env, PrintStream out) {
    Args a = Args.parse(argv, JobSettings.OPTIONS, JobSettings.REPEATABLE, 0);
    if (a.help()) {
      out.println(USAGE);
      return 0;
    }
    JobSettings s = JobSettings.from(a, env);
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
      return 2;
    }
    out.println("valid");
    return 0;
  }

  static final int SAMPLE_LINES = 1000;

  private ValidateCommand() {}
}
