package io.tillstream.jobs.cli;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.privacy.PiiKey;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a batch or validate command runs on, with defaults resolved: the bundled samples into ./lake. */
public record JobSettings(List<String> inputs, String dims, String lake, LocalDate from, LocalDate to,
    TillstreamConfig config, boolean sampleRun) {

  public static final Set<String> OPTIONS = Set.of("input", "dims", "lake", "from", "to", "conf", "set");
  public static final Set<String> REPEATABLE = Set.of("input", "set");

  public static JobSettings from(Args a, Map<String, String> env) {
    Path samples = home(env).resolve("data-samples");
    List<String> inputs = a.all("input").isEmpty() ? List.of(samples.resolve("events").toString()) : a.all("input");
    String dims = a.get("dims", samples.resolve("dims").toString());
    LocalDate from = a.date("from");
    LocalDate to = a.date("to");
    if (from != null && to != null && from.isAfter(to)) {
      throw new UsageError("--from " + from + " is after --to " + to);
    }
    TillstreamConfig config = config(a, env);
    return new JobSettings(inputs, dims, a.get("lake", config.get(ConfigKeys.LAKE_ROOT)),
        from, to, config, samplesOnly(inputs, dims, env));
  }

  /** For runs over given inputs without a business-date range (daily, backfill); --dims and --lake as above. */
  public static JobSettings over(List<String> inputs, Args a, Map<String, String> env, TillstreamConfig config) {
    String dims = a.get("dims", home(env).resolve("data-samples").resolve("dims").toString());
    return new JobSettings(inputs, dims, a.get("lake", config.get(ConfigKeys.LAKE_ROOT)), null, null, config,
        samplesOnly(inputs, dims, env));
  }

  public JobSettings withInputs(List<String> otherInputs) {
    return new JobSettings(otherInputs, dims, lake, from, to, config, sampleRun);
  }

  public JobSettings withLake(String otherLake) {
    return new JobSettings(inputs, dims, otherLake, from, to, config, sampleRun);
  }

  /** Whether a run reads only the bundled samples (the only runs allowed without TILLSTREAM_PII_KEY). */
  public static boolean samplesOnly(List<String> inputs, String dims, Map<String, String> env) {
    Path samples = home(env).resolve("data-samples");
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

  /** The layered configuration from --conf, the environment and --set, shared by every command. */
  public static TillstreamConfig config(Args a, Map<String, String> env) {
    String conf = a.get("conf", null);
    if (conf != null && !Files.isRegularFile(Paths.get(conf))) {
      throw new UsageError("--conf " + conf + " is not a readable file");
    }
    return TillstreamConfig.load(conf == null ? null : Paths.get(conf), env,
        TillstreamConfig.parseAssignments(a.all("set")));
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
