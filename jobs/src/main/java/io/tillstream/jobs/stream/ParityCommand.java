package io.tillstream.jobs.stream;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.ingest.InputFiles;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.DimsOption;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.InputsOption;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.OptionTypes;
import io.tillstream.jobs.cli.RunSession;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.privacy.PiiKey;
import io.tillstream.run.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * scripts/tillstream verify-parity: the Kappa check. The same input goes once through the batch job and once
 * through the streaming job (re-delivered as many small files, shuffled, with duplicates) into two fresh lakes;
 * every silver and gold table must come out the same.
 */
@Command(name = "verify-parity",
    description = {"runs batch and stream over the same input into two lakes and diffs every"
        + " silver and gold table",
        "The Kappa check: the input goes once through the batch job and once through the streaming job"
        + " (re-delivered as many small files, shuffled, with duplicates) into two fresh lakes; every silver and"
        + " gold table must come out the same. --input and --dims are required. Prints one line per table and the"
        + " rows that differ."},
    footer = "Exit codes: 0 equal, 1 different or a run failed, 2 usage or config error.")
public final class ParityCommand extends JobCommand {
  @Mixin
  InputsOption inputs;

  @Mixin
  DimsOption dims;

  @Option(names = "--work", paramLabel = "DIR",
      description = "where the two lakes and the re-delivered files go (default: a new temp folder)")
  String work;

  @Option(names = "--batches", paramLabel = "N", converter = OptionTypes.Count.class, defaultValue = "8",
      description = "micro-batches the stream receives the input in (default: ${DEFAULT-VALUE})")
  long batches;

  @Option(names = "--duplicates", paramLabel = "RATE", converter = OptionTypes.Rate.class, defaultValue = "0.05",
      description = "share of records delivered twice to the stream (default: ${DEFAULT-VALUE})")
  double duplicates;

  @Option(names = "--seed", paramLabel = "N", converter = OptionTypes.Count.class, defaultValue = "1",
      description = "seed of the shuffle (default: ${DEFAULT-VALUE})")
  long seed;

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() {
    PrintStream out = out();
    PrintStream err = err();
    if (inputs.given().isEmpty() || !dims.given()) {
      throw new UsageError("--input and --dims are required");
    }
    TillstreamConfig c = config.load(env());
    Path folder = work(work);
    JobSettings batchSettings = JobSettings.of(inputs.given(), dims.dir(env()),
        folder.resolve("batch-lake").toString(), null, null, c, env());
    PiiKey key = JobSettings.piiKey(batchSettings.config(), env(), batchSettings.sampleRun(), err);
    SparkSession spark = RunSession.getOrCreate("tillstream-verify-parity", batchSettings.config(),
        batchSettings.lake(), err);

    out.println("verify-parity: work folder " + folder);
    RunRecord batch = BatchCommand.execute(spark, batchSettings, key, String.join(",", batchSettings.inputs()));
    out.println("batch:  " + batch.status() + (batch.result() == null ? "" : ", " + batch.result().reconciliation()));
    if (!batch.status().equals("SUCCEEDED")) {
      err.println("the batch run failed: " + batch.error());
      return ExitCodes.RUN_FAILED;
    }

    List<String> files = InputFiles.list(spark.sparkContext().hadoopConfiguration(), batchSettings.inputs(), null,
        null);
    Path delivery = folder.resolve("delivery");
    ParityDelivery.Result d = ParityDelivery.write(spark.sparkContext().hadoopConfiguration(), files, delivery,
        (int) Math.max(1, batches), duplicates, seed);
    out.println("stream: " + d.records() + " records (" + d.duplicates() + " delivered twice) in " + d.files()
        + " files, shuffled (seed " + seed + "), one file per micro-batch");
    StreamSettings stream = new StreamSettings(StreamSettings.Source.FILES, null, null, delivery.toString(),
        batchSettings.dims(), folder.resolve("stream-lake").toString(), folder.resolve("checkpoint").toString(), null,
        batchSettings.config().with(ConfigKeys.STREAM_FILES_MAX_FILES, "1")
            .with(ConfigKeys.STREAM_ALERTS_ENABLED, "false"));
    StreamJob job = StreamJob.start(spark, stream, key, 0, out);
    StreamingQueryException failure = job.await();
    if (failure != null) {
      err.println("the streaming run failed: " + failure.getMessage());
      return ExitCodes.RUN_FAILED;
    }
    out.println("stream: " + job.totals());

    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(new Lake(spark, batchSettings.lake()),
        new Lake(spark, stream.lake()), 20);
    out.print(LakeComparison.report(diffs, "batch", "stream"));
    boolean equal = diffs.stream().allMatch(LakeComparison.TableDiff::equal);
    out.println(equal ? "PARITY: the streaming job's tables equal the batch job's"
        : "NO PARITY: the tables differ (see above)");
    return equal ? ExitCodes.OK : ExitCodes.RUN_FAILED;
  }

  private static Path work(String given) {
    try {
      if (given == null) {
        return Files.createTempDirectory("tillstream-parity-");
      }
      Path p = Paths.get(given).toAbsolutePath();
      if (Files.exists(p) && Files.list(p).findAny().isPresent()) {
        throw new UsageError("--work " + given + " must be empty or new (two fresh lakes are made in it)");
      }
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
