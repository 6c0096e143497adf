package io.tillstream.jobs.schedule;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import picocli.CommandLine.Option;

/** --landing: the root of the date=YYYY-MM-DD folders the scheduled commands read. */
public final class LandingOption {
  @Option(names = "--landing", paramLabel = "DIR", description = "root of the date=YYYY-MM-DD folders, any Hadoop"
      + " file system URI (default: schedule.landing)")
  String landing;

  public String root(TillstreamConfig config) {
    return landing != null ? landing : config.get(ConfigKeys.SCHEDULE_LANDING);
  }
}
