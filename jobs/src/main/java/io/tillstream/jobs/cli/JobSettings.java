package io.tillstream.jobs.cli;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.privacy.PiiKey;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** What a batch or validate command runs on, with defaults resolved: the bundled samples into ./lake. */
public record JobSettings(List<String> inputs, String dims, String lake, LocalDate from, LocalDate to,
    TillstreamConfig config, boolean sampleRun) {

  /** A run's settings, with {@code sampleRun} worked out from where its inputs and reference data are. */
  public static JobSettings of(List<String> inputs, String dims, String lake, LocalDate from, LocalDate to,
      TillstreamConfig config, Map<String, String> env) {
    return new JobSettings(inputs, dims, lake, from, to, config, samplesOnly(inputs, dims, env));
  }

  public JobSettings withInputs(List<String> otherInputs) {
    return new JobSettings(otherInputs, dims, lake, from, to, config, sampleRun);
  }

  public JobSettings withLake(String otherLake) {
    return new JobSettings(inputs, dims, otherLake, from, to, config, sampleRun);
  }

  /** Whether a run reads only the bundled samples (the only runs allowed without TILLSTREAM_PII_KEY). */
  public static boolean samplesOnly(List<String> inputs, String dims, Map<String, String> env) {
    Path samples = samples(env);
    return inputs.stream().allMatch(i -> isUnder(i, samples)) && isUnder(dims, samples);
  }

  /** The PII key from the environment; on the bundled samples without one, the demo key, with a loud warning. */
  public static PiiKey piiKey(TillstreamConfig config, Map<String, String> env, boolean sampleRun, PrintStream err) {
    PiiKey key = PiiKey.fromEnvironment(env, config.get(ConfigKeys.PII_KEY_ID), sampleRun);
    if (key.isDemo()) {
      err.println("WARNING ********************************************************************");
      err.println("WARNING TILLSTREAM_PII_KEY is not set: using the built-in DEMO key for the bundled samples.");
      err.println("WARNING Tokens made with it are NOT secret. Set TILLSTREAM_PII_KEY for real data.");
      err.println("WARNING ********************************************************************");
    }
    return key;
  }

  /** The bundled samples: data-samples/ under the project directory. */
  public static Path samples(Map<String, String> env) {
    return home(env).resolve("data-samples");
  }

  /** The project directory: -Dtillstream.home or TILLSTREAM_HOME (set by scripts/tillstream), else the cwd. */
  public static Path home(Map<String, String> env) {
    String h = System.getProperty("tillstream.home", env.get("TILLSTREAM_HOME"));
    return Paths.get(h == null ? "." : h).toAbsolutePath().normalize();
  }

  private static boolean isUnder(String path, Path dir) {
    if (path.contains("://")) {
      return false;
    }
    return Paths.get(path.startsWith("file:") ? path.substring(5) : path).toAbsolutePath().normalize()
        .startsWith(dir);
  }
}
