package io.tillstream.jobs.tools;

import io.tillstream.config.ConfigError;
import io.tillstream.generate.GeneratorOptions;
import io.tillstream.generate.GeneratorReport;
import io.tillstream.generate.SyntheticData;
import io.tillstream.jobs.cli.Args;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.kafka.PublishCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

/** scripts/tillstream generate: deterministic synthetic events plus matching dimensions. */
public final class GenerateCommand {
  public static final long DEFAULT_SEED = 1;

  public static final String USAGE = """
      usage: tillstream generate --out DIR --events N --days D [--seed S] [--bad-rate R] [--dup-rate R]
                                 [--late-rate R] [--start DATE] [--events-per-file N]
                                 [--bootstrap HOST:PORT --topic TOPIC [--rate N]]
        Writes DIR/events/events-NNNNN.jsonl, DIR/dims/{stores,products,fx_rates}.csv and DIR/manifest.json.
        N is the total number of lines; R are fractions of lines (bad, duplicate) or of valid events (late).
        The seed defaults to 1.
        The same arguments always give byte-identical files. With --bootstrap and --topic the events are
        also sent to Kafka (keyed by store id), at most --rate records per second.""";

  public static int run(String[] argv, PrintStream out) throws IOException {
    Args a = Args.parse(argv, Set.of("out", "events", "days", "seed", "bad-rate", "dup-rate", "late-rate", "start",
        "events-per-file", "bootstrap", "topic", "rate"), Set.of(), 0);
    if (a.help()) {
      out.println(USAGE);
      return 0;
    }
    // The generator module is test tooling: scripts/tillstream has it, the spark-submit jar does not.
    if (GenerateCommand.class.getClassLoader().getResource("io/tillstream/generate/SyntheticData.class") == null) {
      throw new ConfigError("generate is not part of the spark-submit jar (the synthetic data generator is kept"
          + " out of production); run scripts/tillstream generate from the project instead");
    }
    String dir = a.get("out", null);
    if (dir == null) {
      throw new UsageError("option --out is required");
    }
    long days = a.positiveLong("days", null);
    if (days < 1 || days > 100_000) {
      throw new UsageError("--days must be between 1 and 100000");
    }
    GeneratorOptions o = GeneratorOptions.of(Paths.get(dir), a.positiveLong("events", null), (int) days,
            a.positiveLong("seed", DEFAULT_SEED))
        .withRates(a.rate("bad-rate"), a.rate("dup-rate"), a.rate("late-rate"))
        .withEventsPerFile((int) a.positiveLong("events-per-file",
            (long) GeneratorOptions.DEFAULT_EVENTS_PER_FILE));
    if (a.date("start") != null) {
      o = o.withStartDate(a.date("start"));
    }
    long t0 = System.nanoTime();
    GeneratorReport r;
    try {
      r = SyntheticData.generate(o);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    out.println("generated " + r.linesWritten() + " lines in " + r.files().size() + " file(s) under " + dir
        + " in " + ms + " ms: " + r.validEvents() + " valid, " + r.exactDuplicates() + " exact duplicates, "
        + r.conflictingDuplicates() + " conflicting duplicates, defects " + r.defectsByRule());
    String bootstrap = a.get("bootstrap", null);
    if (bootstrap != null || a.get("topic", null) != null) {
      if (bootstrap == null || a.get("topic", null) == null) {
        throw new UsageError("--bootstrap and --topic go together");
      }
      return PublishCommand.send(List.of(Paths.get(dir, "events").toString()), bootstrap, a.get("topic", null),
          PublishCommand.rate(a), out);
    }
    return 0;
  }

  private GenerateCommand() {}
}
