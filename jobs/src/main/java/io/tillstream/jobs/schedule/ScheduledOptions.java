package io.tillstream.jobs.schedule;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.DimsOption;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.LakeOption;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a scheduled run (daily, backfill): landing folders, reference data, lake, configuration. */
public final class ScheduledOptions {
  @Option(names = "--landing", paramLabel = "DIR", description = "root of the date=YYYY-MM-DD folders, any Hadoop"
      + " file system URI (default: schedule.landing)")
  String landing;

  @Mixin
  DimsOption dims;

  @Mixin
  LakeOption lake;

  @Mixin
  ConfigOptions config;

  /** A scheduled run's configuration, landing root and settings, defaults resolved. */
  record Resolved(TillstreamConfig config, String landing, JobSettings settings) {}

  Resolved resolve(Map<String, String> env) {
    TillstreamConfig c = config.load(env);
    String root = landing != null ? landing : c.get(ConfigKeys.SCHEDULE_LANDING);
    return new Resolved(c, root, JobSettings.of(List.of(root), dims.dir(env), lake.root(c), null, null, c, env));
  }
}
