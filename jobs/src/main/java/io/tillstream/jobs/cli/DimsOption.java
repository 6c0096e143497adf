package io.tillstream.jobs.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** --dims: the reference data folder. */
public final class DimsOption {
  @Option(names = "--dims", paramLabel = "DIR",
      description = "reference data: stores.csv, products.csv, fx_rates.csv (default: data-samples/dims)")
  String dims;

  /** The given folder, or the bundled samples' reference data. */
  public String dir(Map<String, String> env) {
    return dims != null ? dims : JobSettings.samples(env).resolve("dims").toString();
  }

  public boolean given() {
    return dims != null;
  }
}
