package io.tillstream.jobs.kafka;

import io.tillstream.jobs.cli.OptionTypes;
import picocli.CommandLine.Option;

/** --rate: how fast records go to Kafka. */
public final class PublishRate {
  @Option(names = "--rate", paramLabel = "N", converter = OptionTypes.PerSecond.class,
      description = "at most N records per second (default: as fast as the broker takes them)")
  double perSecond;

  public double perSecond() {
    return perSecond;
  }
}
