package io.tillstream.jobs.stream;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.DimsOption;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.KafkaTopicOptions;
import io.tillstream.jobs.cli.LakeOption;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.RunSession;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.metrics.MetricsEndpoint;
import io.tillstream.jobs.metrics.PipelineMetrics;
import io.tillstream.privacy.PiiKey;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream stream: the continuous (or available-now) streaming job over Kafka or a landing folder. */
@Command(name = "stream",
    description = {"the streaming job: same pipeline, same tables, one line per micro-batch",
        "Runs the shared pipeline as a Structured Streaming job over Kafka (--source kafka --bootstrap"
        + " HOST:PORT --topic TOPIC: JSON events, one per record) or a landing folder (--source files --input DIR:"
        + " new JSON Lines files), into the same tables as batch. Prints one line per micro-batch. SIGTERM finishes"
        + " the running micro-batch, then stops."},
    footer = {"Keys: stream.kafka.starting-offsets, stream.kafka.max-offsets-per-trigger,"
        + " stream.kafka.fail-on-data-loss, stream.files.max-files-per-trigger, stream.alerts.* (scripts/tillstream"
        + " config lists them).",
        "Exit codes: 0 stopped or done, 1 the stream failed, 2 usage or config error."})
public final class StreamCommand extends JobCommand {
  @Option(names = "--source", paramLabel = "kafka|files", completionCandidates = Sources.class,
      description = "kafka (JSON events, one per record) or files (new JSON Lines files in --input); required")
  String source;

  @Mixin
  KafkaTopicOptions kafka;

  @Option(names = "--input", paramLabel = "DIR", description = "with --source files: the folder watched for new"
      + " event files")
  String input;

  @Mixin
  DimsOption dims;

  @Mixin
  LakeOption lake;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "checkpoint folder (default: <stream.checkpoint"
      + " or <lake>/_checkpoints>/stream-kafka-<topic> or stream-files)")
  String checkpoint;

  @Option(names = "--trigger", paramLabel = "10s|available-now", description = "micro-batch interval (default:"
      + " stream.trigger, 10s), or available-now: process what is there and stop (with a fresh --checkpoint:"
      + " replay all history through the stream)")
  String trigger;

  @Mixin
  ConfigOptions config;

  /** What --source offers, for shell completion. */
  static final class Sources extends ArrayList<String> {
    Sources() {
      super(List.of("kafka", "files"));
    }
  }

  @Override
  public Integer call() {
    Map<String, String> env = env();
    PrintStream out = out();
    PrintStream err = err();
    StreamSettings s = settings();
    boolean sampleRun = s.source() == StreamSettings.Source.FILES
        && JobSettings.samplesOnly(List.of(s.input()), s.dims(), env);
    PiiKey key = JobSettings.piiKey(s.config(), env, sampleRun, err);
    // SIGTERM and Ctrl-C: finish the running micro-batch, stop, exit 0. The JVM's own handling would run the
    // shutdown hooks and exit 143 with Spark stopping under the running batch.
    AtomicReference<StreamJob> running = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    Runnable stop = () -> {
      stopRequested.set(true);
      StreamJob j = running.get();
      if (j != null) {
        j.stopGracefully(Duration.ofMinutes(5).toMillis());
      }
    };
    for (String signal : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> {
        err.println("stream: SIG" + signal + " received; finishing the running micro-batch, then stopping");
        new Thread(stop, "tillstream-stop").start();
      });
    }
    Map<String, String> sparkSettings = new TreeMap<>(s.config().sparkSettings());
    // The gold threads' jobs take what the micro-batches leave instead of queueing behind them or ahead of them.
    SchedulerPools.configure(sparkSettings);
    // Micro-batches are small: compiling generated code for each of their plans costs more than it saves (silver
    // p99 43 s compiled, 30 s interpreted, docs/benchmarks.md); one after a large one runs compiled
    // (MicroBatchIngest.COMPILE_AFTER_RECORDS). Any spark.sql.codegen.* setting wins.
    sparkSettings.putIfAbsent("spark.sql.codegen.wholeStage", "false");
    sparkSettings.putIfAbsent("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    // Adaptive execution runs each shuffle stage as a job of its own and plans again between them: with two shuffle
    // partitions it has nothing to coalesce, and a micro-batch ran 29 jobs with it, 20 without (docs/benchmarks.md).
    sparkSettings.putIfAbsent("spark.sql.adaptive.enabled", "false");
    int alertTasks = StreamJob.realTimeAlertTasks(s, sparkSettings, out);
    SparkSession spark = RunSession.getOrCreate("tillstream-stream", sparkSettings, s.config(), s.lake(), err);
    PipelineMetrics metrics = new PipelineMetrics();
    StreamingQueryException failure;
    StreamJob job;
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(s.config(), metrics, err)) {
      job = StreamJob.start(spark, s, key, alertTasks, out, metrics);
      running.set(job);
      if (stopRequested.get()) {
        new Thread(stop, "tillstream-stop").start();
      }
      failure = job.await();
    }
    out.println("stream: " + (failure == null ? (stopRequested.get() ? "stopped" : "done") : "FAILED") + " after "
        + job.totals());
    out.flush();
    if (failure != null) {
      err.println("stream failed: " + failure.getMessage());
      return ExitCodes.RUN_FAILED;
    }
    return ExitCodes.OK;
  }

  /** The stream's settings with defaults resolved; fails naming the option that is missing or does not apply. */
  public StreamSettings settings() {
    TillstreamConfig c = config.load(env());
    if (source == null) {
      throw new UsageError("--source kafka or --source files is required");
    }
    String lakeRoot = lake.root(c);
    Duration interval = trigger == null ? c.get(ConfigKeys.STREAM_TRIGGER)
        : TillstreamConfig.parseTrigger(trigger, "--trigger");
    StreamSettings.Source kind;
    switch (source) {
      case "kafka" -> {
        kind = StreamSettings.Source.KAFKA;
        required(kafka.bootstrap(), "bootstrap", source);
        required(kafka.topic(), "topic", source);
        rejected(input, "input", source);
      }
      case "files" -> {
        kind = StreamSettings.Source.FILES;
        required(input, "input", source);
        rejected(kafka.bootstrap(), "bootstrap", source);
        rejected(kafka.topic(), "topic", source);
      }
      default -> throw new UsageError("--source must be kafka or files, not '" + source + "'");
    }
    String root = c.get(ConfigKeys.STREAM_CHECKPOINT);
    String folder = checkpoint != null ? checkpoint
        : (root.isBlank() ? lakeRoot + "/_checkpoints" : root.replaceAll("/+$", "")) + "/"
            + (kind == StreamSettings.Source.KAFKA ? "stream-kafka-" + kafka.topic() : "stream-files");
    return new StreamSettings(kind, kafka.bootstrap(), kafka.topic(), input, dims.dir(env()), lakeRoot, folder,
        interval, c);
  }

  private static void required(String value, String option, String source) {
    if (value == null) {
      throw new UsageError("--source " + source + " needs --" + option);
    }
  }

  private static void rejected(String value, String option, String source) {
    if (value != null) {
      throw new UsageError("--" + option + " does not apply to --source " + source);
    }
  }
}
