package io.tillstream.jobs.cli;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import picocli.CommandLine.Option;

/** --lake: the lake root a command reads and writes. */
public final class LakeOption {
  @Option(names = "--lake", paramLabel = "DIR",
      description = "lake root, any Hadoop file system URI (default: lake.root, ./lake)")
  String lake;

  public String root(TillstreamConfig config) {
    return lake != null ? lake : config.get(ConfigKeys.LAKE_ROOT);
  }
}
