package io.tillstream.jobs.kafka;

import io.tillstream.ingest.InputFiles;
import io.tillstream.jobs.cli.InputsOption;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.KafkaTopicOptions;
import io.tillstream.jobs.cli.UsageError;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** scripts/tillstream publish: send JSON Lines files to a Kafka topic, keyed by store id. */
@Command(name = "publish",
    description = {"sends JSON Lines files to Kafka, keyed by store id",
        "Sends one Kafka record per non-blank line of the --input files (in name order), key = the"
        + " event's store_id. --input, --bootstrap and --topic are required."},
    footer = "Exit codes: 0 every record was acknowledged, 1 otherwise, 2 usage error.")
public final class PublishCommand extends JobCommand {
  @Mixin
  InputsOption inputs;

  @Mixin
  KafkaTopicOptions kafka;

  @Mixin
  PublishRate rate;

  @Override
  public Integer call() throws IOException {
    if (inputs.given().isEmpty() || !kafka.given()) {
      throw new UsageError("--input, --bootstrap and --topic are required");
    }
    return send(inputs.given(), kafka.bootstrap(), kafka.topic(), rate.perSecond(), out());
  }

  public static int send(List<String> inputs, String bootstrap, String topic, double rate, PrintStream out)
      throws IOException {
    Configuration hadoop = new Configuration();
    List<String> files = InputFiles.list(hadoop, inputs, null, null);
    long t0 = System.nanoTime();
    long n = KafkaPublisher.publish(hadoop, files, bootstrap, topic, rate);
    double s = (System.nanoTime() - t0) / 1e9;
    out.printf("published %d records from %d file(s) to %s at %s in %.1f s (%.0f records/s)%n", n, files.size(),
        topic, bootstrap, s, n / Math.max(s, 1e-9));
    return 0;
  }
}
