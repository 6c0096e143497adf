package io.tillstream.jobs.stream;

import io.tillstream.config.ConfigKeys;
import io.tillstream.ingest.InputFiles;
import io.tillstream.jobs.batch.BatchCommand;
import io.tillstream.jobs.cli.Args;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.stream.StreamJob;
import io.tillstream.jobs.stream.StreamSettings;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.SparkSessions;
import io.tillstream.privacy.PiiKey;
import io.tillstream.run.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * scripts/tillstream verify-parity: the Kappa check. The same input goes once through the batch job and once
 * through the streaming job (re-delivered as many small files, shuffled, with duplicates) into two fresh lakes;
 * every silver and gold table must come out the same.
 */
public final class ParityCommand {
  public static final String USAGE = """
      usage: tillstream verify-parity --input PATH [--input PATH]... --dims DIR [--work DIR] [--batches N]
                                      [--duplicates RATE] [--seed N] [--conf FILE] [--set KEY=VALUE]...
        --input PATH       event files or directories, as for batch
        --dims DIR         reference data, as for batch
        --work DIR         where the two lakes and the re-delivered files go (default: a new temp folder)
        --batches N        micro-batches the stream receives the input in (default 8)
        --duplicates RATE  share of records delivered twice to the stream (default 0.05)
        --seed N           seed of the shuffle (default 1)
      Prints one line per table and the rows that differ. Exit codes: 0 equal, 1 different or a run failed,
      2 usage or config error.""";

  static final Set<String> OPTIONS = Set.of("input", "dims", "work", "batches", "duplicates", "seed", "conf", "set");

  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
    Args a = Args.parse(argv, OPTIONS, Set.of("input", "set"), 0);
    if (a.help()) {
      out.println(USAGE);
      return 0;
    }
    if (a.all("input").isEmpty() || a.get("dims", null) == null) {
      throw new UsageError("--input and --dims are required");
    }
    Path work = work(a.get("work", null));
    int batches = (int) Math.max(1, a.positiveLong("batches", 8L));
    double duplicates = a.rate("duplicates", 0.05);
    long seed = a.positiveLong("seed", 1L);
    JobSettings batchSettings = JobSettings.from(a, env).withLake(work.resolve("batch-lake").toString());
    PiiKey key = JobSettings.piiKey(batchSettings.config(), env, batchSettings.sampleRun(), err);
    SparkSession spark = SparkSessions.getOrCreate("tillstream-verify-parity",
        batchSettings.config().sparkSettings());

    out.println("verify-parity: work folder " + work);
    RunRecord batch = BatchCommand.execute(spark, batchSettings, key, String.join(",", batchSettings.inputs()));
    out.println("batch:  " + batch.status() + (batch.result() == null ? "" : ", " + batch.result().reconciliation()));
    if (!batch.status().equals("SUCCEEDED")) {
      err.println("the batch run failed: " + batch.error());
      return 1;
    }

    List<String> files = InputFiles.list(spark.sparkContext().hadoopConfiguration(), batchSettings.inputs(), null,
        null);
    Path delivery = work.resolve("delivery");
    ParityDelivery.Result d = ParityDelivery.write(spark.sparkContext().hadoopConfiguration(), files, delivery,
        batches, duplicates, seed);
    out.println("stream: " + d.records() + " records (" + d.duplicates() + " delivered twice) in " + d.files()
        + " files, shuffled (seed " + seed + "), one file per micro-batch");
    StreamSettings stream = new StreamSettings(StreamSettings.Source.FILES, null, null, delivery.toString(),
        batchSettings.dims(), work.resolve("stream-lake").toString(), work.resolve("checkpoint").toString(), null,
        batchSettings.config().with(ConfigKeys.STREAM_FILES_MAX_FILES, "1")
            .with(ConfigKeys.STREAM_ALERTS_ENABLED, "false"));
    StreamJob job = StreamJob.start(spark, stream, key, 0, out);
    StreamingQueryException failure = job.await();
    if (failure != null) {
      err.println("the streaming run failed: " + failure.getMessage());
      return 1;
    }
    out.println("stream: " + job.totals());

    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(new Lake(spark, batchSettings.lake()),
        new Lake(spark, stream.lake()), 20);
    out.print(LakeComparison.report(diffs, "batch", "stream"));
    boolean equal = diffs.stream().allMatch(LakeComparison.TableDiff::equal);
    out.println(equal ? "PARITY: the streaming job's tables equal the batch job's"
        : "NO PARITY: the tables differ (see above)");
    return equal ? 0 : 1;
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

  private ParityCommand() {}
}
