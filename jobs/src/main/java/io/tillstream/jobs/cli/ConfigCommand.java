package io.tillstream.jobs.cli;

import io.tillstream.config.ConfigKey;
import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/** scripts/tillstream config: the effective configuration, one key=value per line, with its description. */
public final class ConfigCommand {
  public static final String USAGE = """
      usage: tillstream config [--conf FILE] [--set KEY=VALUE]...
        Prints the effective configuration after layering defaults, --conf, TILLSTREAM_* variables and --set.
        Secret values (passwords, tokens, access and secret keys such as spark.hadoop.fs.s3a.secret.key) show as ****.""";

  public static int run(String[] argv, Map<String, String> env, PrintStream out) {
    Args a = Args.parse(argv, Set.of("conf", "set"), Set.of("set"), 0);
    if (a.help()) {
      out.println(USAGE);
      return 0;
    }
    TillstreamConfig c = JobSettings.config(a, env);
    c.masked().forEach((k, v) -> {
      ConfigKey<?> key = ConfigKeys.all().get(k);
      out.println(k + "=" + v + (key == null ? "" : "    # " + key.description()));
    });
    out.println("# TILLSTREAM_PII_KEY=" + (env.containsKey("TILLSTREAM_PII_KEY") ? "****" : "(not set)"));
    return 0;
  }

  private ConfigCommand() {}
}
