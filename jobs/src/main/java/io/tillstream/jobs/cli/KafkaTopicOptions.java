package io.tillstream.jobs.cli;

import picocli.CommandLine.Option;

/** --bootstrap and --topic: the Kafka topic a command reads or writes. */
public final class KafkaTopicOptions {
  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
  String bootstrap;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Kafka topic")
  String topic;

  public String bootstrap() {
    return bootstrap;
  }

  public String topic() {
    return topic;
  }

  public boolean given() {
    return bootstrap != null && topic != null;
  }
}
