package io.tillstream.jobs.cli;

import io.tillstream.config.ConfigKey;
import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** scripts/tillstream config: the effective configuration, one key=value per line, with its description. */
@Command(name = "config",
    description = {"prints the effective configuration, secrets masked",
        "Prints the effective configuration after layering defaults, --conf, TILLSTREAM_* variables and"
        + " --set, one key=value per line with its description. Secret values (passwords, tokens, access and"
        + " secret keys such as spark.hadoop.fs.s3a.secret.key) show as ****."})
public final class ConfigCommand extends JobCommand {
  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() {
    TillstreamConfig c = config.load(env());
    c.masked().forEach((k, v) -> {
      ConfigKey<?> key = ConfigKeys.all().get(k);
      out().println(k + "=" + v + (key == null ? "" : "    # " + key.description()));
    });
    out().println("# TILLSTREAM_PII_KEY=" + (env().containsKey("TILLSTREAM_PII_KEY") ? "****" : "(not set)"));
    return ExitCodes.OK;
  }
}
