package io.tillstream.jobs.stream;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.Args;
import io.tillstream.jobs.cli.JobSettings;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.stream.StreamJob;
import io.tillstream.jobs.stream.StreamSettings;
import io.tillstream.lake.SparkSessions;
import io.tillstream.privacy.PiiKey;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;

/** scripts/tillstream stream: the continuous (or available-now) streaming job over Kafka or a landing folder. */
public final class StreamCommand {
  public static final String USAGE = """
      usage: tillstream stream --source kafka --bootstrap HOST:PORT --topic TOPIC | --source files --input DIR
                               [--dims DIR] [--lake DIR] [--checkpoint DIR] [--trigger 10s | available-now]
                               [--conf FILE] [--set KEY=VALUE]...
        --source       kafka (JSON events, one per record) or files (new JSON Lines files in --input)
        --trigger      micro-batch interval (default: stream.trigger, 10s), or available-now: process what is
                       there and stop (with a fresh --checkpoint: replay all history through the stream)
        --checkpoint   checkpoint folder (default: <stream.checkpoint or <lake>/_checkpoints>/stream-kafka-<topic> or stream-files)
        --dims, --lake, --conf, --set: as for batch
      Keys: stream.kafka.starting-offsets, stream.kafka.max-offsets-per-trigger, stream.kafka.fail-on-data-loss,
        stream.files.max-files-per-trigger, stream.alerts.* (scripts/tillstream config lists them).
      Prints one line per micro-batch. SIGTERM finishes the running micro-batch, then stops.
      Exit codes: 0 stopped or done, 1 the stream failed, 2 usage or config error.""";

  static final Set<String> OPTIONS = Set.of("source", "bootstrap", "topic", "input", "dims", "lake",
      "checkpoint", "trigger", "conf", "set");

  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
    Args a = Args.parse(argv, OPTIONS, Set.of("set"), 0);
    if (a.help()) {
      out.println(USAGE);
      return 0;
    }
    StreamSettings s = settings(a, env);
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
    int alertTasks = StreamJob.realTimeAlertTasks(s, sparkSettings, out);
    SparkSession spark = SparkSessions.getOrCreate("tillstream-stream", sparkSettings);
    StreamJob job = StreamJob.start(spark, s, key, alertTasks, out);
    running.set(job);
    if (stopRequested.get()) {
      new Thread(stop, "tillstream-stop").start();
    }
    StreamingQueryException failure = job.await();
    out.println("stream: " + (failure == null ? (stopRequested.get() ? "stopped" : "done") : "FAILED") + " after "
        + job.totals());
    out.flush();
    if (failure != null) {
      err.println("stream failed: " + failure.getMessage());
      return 1;
    }
    return 0;
  }

  public static StreamSettings settings(Args a, Map<String, String> env) {
    TillstreamConfig config = JobSettings.config(a, env);
    String source = a.get("source", null);
    if (source == null) {
      throw new UsageError("--source kafka or --source files is required");
    }
    Path samples = JobSettings.home(env).resolve("data-samples");
    String dims = a.get("dims", samples.resolve("dims").toString());
    String lake = a.get("lake", config.get(ConfigKeys.LAKE_ROOT));
    String trigger = a.get("trigger", null);
    Duration interval = trigger == null ? config.get(ConfigKeys.STREAM_TRIGGER)
        : TillstreamConfig.parseTrigger(trigger, "--trigger");
    StreamSettings.Source kind;
    String bootstrap = null;
    String topic = null;
    String input = null;
    switch (source) {
      case "kafka" -> {
        kind = StreamSettings.Source.KAFKA;
        bootstrap = required(a, "bootstrap", "kafka");
        topic = required(a, "topic", "kafka");
        reject(a, "input", "kafka");
      }
      case "files" -> {
        kind = StreamSettings.Source.FILES;
        input = required(a, "input", "files");
        reject(a, "bootstrap", "files");
        reject(a, "topic", "files");
      }
      default -> throw new UsageError("--source must be kafka or files, not '" + source + "'");
    }
    String root = config.get(ConfigKeys.STREAM_CHECKPOINT);
    String checkpoint = a.get("checkpoint", (root.isBlank() ? lake + "/_checkpoints" : root.replaceAll("/+$", ""))
        + "/" + (kind == StreamSettings.Source.KAFKA ? "stream-kafka-" + topic : "stream-files"));
    return new StreamSettings(kind, bootstrap, topic, input, dims, lake, checkpoint, interval, config);
  }

  private static String required(Args a, String option, String source) {
    String v = a.get(option, null);
    if (v == null) {
      throw new UsageError("--source " + source + " needs --" + option);
    }
    return v;
  }

  private static void reject(Args a, String option, String source) {
    if (a.get(option, null) != null) {
      throw new UsageError("--" + option + " does not apply to --source " + source);
    }
  }

  private StreamCommand() {}
}
