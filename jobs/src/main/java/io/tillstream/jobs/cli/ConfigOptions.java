package io.tillstream.jobs.cli;

import io.tillstream.config.TillstreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** --conf and --set: the layered configuration (defaults, file, TILLSTREAM_* variables, --set). */
public final class ConfigOptions {
  @Option(names = "--conf", paramLabel = "FILE",
      description = "properties file of configuration keys (scripts/tillstream config lists them)")
  Path conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one configuration key; repeatable")
  List<String> set = new ArrayList<>();

  public TillstreamConfig load(Map<String, String> env) {
    if (conf != null && !Files.isRegularFile(conf)) {
      throw new UsageError("--conf " + conf + " is not a readable file");
    }
    return TillstreamConfig.load(conf, env, TillstreamConfig.parseAssignments(set));
  }
}
