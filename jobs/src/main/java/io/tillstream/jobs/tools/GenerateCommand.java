package io.tillstream.jobs.tools;

import io.tillstream.config.ConfigError;
import io.tillstream.generate.GeneratorOptions;
import io.tillstream.generate.GeneratorReport;
import io.tillstream.generate.SyntheticData;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.KafkaTopicOptions;
import io.tillstream.jobs.cli.OptionTypes;
import io.tillstream.jobs.cli.Progress;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.kafka.PublishCommand;
import io.tillstream.jobs.kafka.PublishRate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream generate: deterministic synthetic events plus matching dimensions. */
@Command(name = "generate",
    description = {"writes deterministic synthetic events and matching reference data",
        "Writes DIR/events/events-NNNNN.jsonl, DIR/dims/{stores,products,fx_rates}.csv and"
        + " DIR/manifest.json. The same arguments always give byte-identical files. With --bootstrap and --topic"
        + " the events are also sent to Kafka (keyed by store id), at most --rate records per second.",
        "Only in scripts/tillstream: the spark-submit jar leaves the generator out."})
public final class GenerateCommand extends JobCommand {
  public static final long DEFAULT_SEED = 1;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "folder to write into")
  Path dir;

  @Option(names = "--events", paramLabel = "N", required = true, converter = OptionTypes.Count.class,
      description = "total number of lines, bad and duplicate ones included")
  long events;

  @Option(names = "--days", paramLabel = "D", required = true, converter = OptionTypes.Count.class,
      description = "business days the events spread over (1 to 100000)")
  long days;

  @Option(names = "--seed", paramLabel = "S", converter = OptionTypes.Count.class,
      defaultValue = "" + DEFAULT_SEED, description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--bad-rate", paramLabel = "R", converter = OptionTypes.Rate.class, defaultValue = "0",
      description = "share of lines with a defect (default: ${DEFAULT-VALUE})")
  double badRate;

  @Option(names = "--dup-rate", paramLabel = "R", converter = OptionTypes.Rate.class, defaultValue = "0",
      description = "share of lines that repeat an event (default: ${DEFAULT-VALUE})")
  double dupRate;

  @Option(names = "--late-rate", paramLabel = "R", converter = OptionTypes.Rate.class, defaultValue = "0",
      description = "share of valid events delivered after later days (default: ${DEFAULT-VALUE})")
  double lateRate;

  @Option(names = "--start", paramLabel = "DATE", defaultValue = GeneratorOptions.DEFAULT_START,
      description = "first business day (default: ${DEFAULT-VALUE})")
  LocalDate start;

  @Option(names = "--events-per-file", paramLabel = "N", converter = OptionTypes.Count.class,
      defaultValue = "" + GeneratorOptions.DEFAULT_EVENTS_PER_FILE,
      description = "lines per events file (default: ${DEFAULT-VALUE})")
  long eventsPerFile;

  @Mixin
  KafkaTopicOptions kafka;

  @Mixin
  PublishRate rate;

  @Override
  public Integer call() throws IOException {
    // The generator module is test tooling: scripts/tillstream has it, the spark-submit jar does not.
    if (GenerateCommand.class.getClassLoader().getResource("io/tillstream/generate/SyntheticData.class") == null) {
      throw new ConfigError("generate is not part of the spark-submit jar (the synthetic data generator is kept"
          + " out of production); run scripts/tillstream generate from the project instead");
    }
    if (days < 1 || days > 100_000) {
      throw new UsageError("--days must be between 1 and 100000");
    }
    if ((kafka.bootstrap() == null) != (kafka.topic() == null)) {
      throw new UsageError("--bootstrap and --topic go together");
    }
    GeneratorOptions o = GeneratorOptions.of(dir, events, (int) days, seed)
        .withRates(badRate, dupRate, lateRate)
        .withEventsPerFile((int) eventsPerFile)
        .withStartDate(start);
    long t0 = System.nanoTime();
    GeneratorReport r;
    Progress progress = Progress.on(err(), "generate");
    int files = (int) ((events + eventsPerFile - 1) / eventsPerFile);
    int[] started = {0};
    try {
      r = SyntheticData.generate(o, f -> progress.step(started[0]++, files, f.getFileName().toString()));
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    progress.step(files, files, "event files written");
    progress.end();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    out().println("generated " + r.linesWritten() + " lines in " + r.files().size() + " file(s) under " + dir
        + " in " + ms + " ms: " + r.validEvents() + " valid, " + r.exactDuplicates() + " exact duplicates, "
        + r.conflictingDuplicates() + " conflicting duplicates, defects " + r.defectsByRule());
    if (kafka.given()) {
      return PublishCommand.send(List.of(dir.resolve("events").toString()), kafka.bootstrap(), kafka.topic(),
          rate.perSecond(), out());
    }
    return ExitCodes.OK;
  }
}
