package io.tillstream.jobs.kafka;

import io.tillstream.ingest.InputFiles;
import io.tillstream.jobs.cli.Args;
import io.tillstream.jobs.cli.UsageError;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/** scripts/tillstream publish: send JSON Lines files to a Kafka topic, keyed by store id. */
public final class PublishCommand {
  public static final String USAGE = """
      usage: tillstream publish --input PATH [--input PATH]... --bootstrap HOST:PORT --topic TOPIC [--rate N]
        --input PATH   event file or directory (JSON Lines, .gz allowed), files in name order
        --rate N       at most N records per second (default: as fast as the broker takes them)
      One Kafka record per non-blank line, key = the event's store_id. Exit 0 when every record was
      acknowledged, 1 otherwise.""";

  public static int run(String[] argv, PrintStream out) throws IOException {
    Args a = Args.parse(argv, Set.of("input", "bootstrap", "topic", "rate"), Set.of("input"), 0);
    if (a.help()) {
      out.println(USAGE);
      return 0;
    }
    String bootstrap = a.get("bootstrap", null);
    String topic = a.get("topic", null);
    if (a.all("input").isEmpty() || bootstrap == null || topic == null) {
      throw new UsageError("--input, --bootstrap and --topic are required");
    }
    return send(a.all("input"), bootstrap, topic, rate(a), out);
  }

  public static double rate(Args a) {
    String v = a.get("rate", "0");
    try {
      double r = Double.parseDouble(v);
      if (r < 0) {
        throw new NumberFormatException();
      }
      return r;
    } catch (NumberFormatException e) {
      throw new UsageError("--rate '" + v + "' is not a non-negative number of records per second");
    }
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

  private PublishCommand() {}
}
