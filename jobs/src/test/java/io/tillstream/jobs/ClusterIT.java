package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.kafka.PublishCommand;
import io.tillstream.jobs.testing.KafkaBroker;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on loopback (scripts/cluster: a master and two workers) and the shaded jar
 * submitted through scripts/spark-submit: the batch job and the streaming job (available-now) each in client and in
 * cluster deploy mode, the stream once over files and once over Kafka. Every lake must equal a local-mode batch run.
 */
class ClusterIT {
  static final Path HOME = Paths.get("..").toAbsolutePath().normalize();
  static final Path SAMPLES = HOME.resolve("data-samples");
  static final Path JAR = HOME.resolve("jobs/target/tillstream-jobs.jar");

  @TempDir
  static Path work;
  static KafkaBroker broker;
  static String master;
  static Path clusterDir;

  @BeforeAll
  static void startClusterAndBroker() throws Exception {
    int port;
    int webUi;
    try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
      port = a.getLocalPort();
      webUi = b.getLocalPort();
    }
    clusterDir = work.resolve("cluster");
    // Cores are logical: four applications and two cluster-mode drivers share the two workers at once.
    Result started = run(work.resolve("cluster-start"), Map.of(), HOME.resolve("scripts/cluster").toString(),
        "start", "--workers", "2", "--cores", "4", "--memory", "5g", "--port", Integer.toString(port),
        "--webui-port", Integer.toString(webUi), "--dir", clusterDir.toString());
    assertEquals(0, started.code, started.text());
    master = "spark://127.0.0.1:" + port;
    assertTrue(started.out.contains("master   " + master), started.text());
    assertEquals(2, started.out.lines().filter(l -> l.startsWith("worker-")).count(), started.text());

    broker = KafkaBroker.start(work.resolve("kafka"));
    try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic("sales", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
    PublishCommand.send(List.of(SAMPLES.resolve("events").toString()), broker.bootstrap(), "sales", 0,
        new PrintStream(new ByteArrayOutputStream()));
  }

  @AfterAll
  static void stopClusterAndBroker() throws Exception {
    if (clusterDir != null) {
      run(work.resolve("cluster-stop"), Map.of(), HOME.resolve("scripts/cluster").toString(), "stop", "--dir",
          clusterDir.toString());
    }
    if (broker != null) {
      broker.close();
    }
  }

  record Submission(String name, String deployMode, List<String> jobArgs) {}

  @Test
  void batchAndStreamSubmittedInClientAndClusterModeEqualALocalRun() throws Exception {
    List<Submission> submissions = new ArrayList<>();
    String profile = HOME.resolve("conf/profiles/standalone.properties").toString();
    // Both deploy modes and both jobs once: the batch job in cluster mode, the stream in client mode (a client-mode
    // batch runs the same code as the client-mode stream's driver; the file source is the stream's other reader,
    // covered in local mode by ParityCommandTest). Lakes are absolute (a cluster-mode driver runs in a worker's work
    // dir), one as a file: URI.
    submissions.add(new Submission("batch-cluster", "cluster", List.of("batch", "--conf", profile, "--lake",
        work.resolve("lake-batch-cluster").toString())));
    submissions.add(new Submission("kafka-client", "client", List.of("stream", "--conf", profile, "--source", "kafka",
        "--bootstrap", broker.bootstrap(), "--topic", "sales", "--trigger", "available-now", "--lake",
        work.resolve("lake-kafka").toUri().toString(), "--checkpoint", work.resolve("ckpt-kafka").toString(),
        "--set", "stream.alerts.enabled=false")));
    ExecutorService pool = Executors.newFixedThreadPool(submissions.size());
    List<Future<Result>> running = new ArrayList<>();
    for (Submission s : submissions) {
      running.add(pool.submit(() -> submit(s)));
    }
    // The local-mode reference runs in this JVM meanwhile.
    SparkSession spark = SparkTestSession.get();
    Path localLake = work.resolve("lake-local");
    assertEquals(0, Main.run(new String[] {"batch", "--lake", localLake.toString()}, System.getenv(), System.out,
        System.err));
    Lake local = new Lake(spark, localLake.toString());
    List<Result> results = new ArrayList<>();
    for (Future<Result> f : running) {
      results.add(f.get(15, TimeUnit.MINUTES));
    }
    pool.shutdown();

    for (int i = 0; i < submissions.size(); i++) {
      Submission s = submissions.get(i);
      Result r = results.get(i);
      assertEquals(0, r.code, s.name() + ": " + r.text());
      String driverOut = s.deployMode().equals("client") ? r.out : clusterDriverStdout(r);
      assertTrue(driverOut.contains(s.name().startsWith("batch")
          ? "read 310 = accepted 283 + quarantined 17 + duplicates 10 + dropped 0 + out_of_range 0 -> reconciled"
          : "stream: done after"), s.name() + ": " + driverOut);
      String lake = s.jobArgs().get(s.jobArgs().indexOf("--lake") + 1);
      List<LakeComparison.TableDiff> diffs = LakeComparison.compare(local, new Lake(spark, lake), 10);
      assertTrue(diffs.stream().allMatch(LakeComparison.TableDiff::equal),
          s.name() + "\n" + LakeComparison.report(diffs, "local", s.name()));
    }
    // Each application ran its executors on the cluster's workers.
    try (Stream<Path> dirs = Files.list(clusterDir.resolve("worker-1"))) {
      Set<String> apps = Stream.concat(dirs, Files.list(clusterDir.resolve("worker-2")))
          .map(p -> p.getFileName().toString()).filter(n -> n.startsWith("app-")).collect(Collectors.toSet());
      assertEquals(submissions.size(), apps.size(), apps.toString());
    }
  }

  @Test
  void clusterModeReportsAFailedDriverAsExitCodeOne() throws Exception {
    Result r = submit(new Submission("failing-cluster", "cluster",
        List.of("batch", "--input", work.resolve("no-such-input").toString(), "--lake",
            work.resolve("lake-failing").toString())));
    assertEquals(1, r.code, r.text());
    assertTrue(r.err.contains("spark-submit: the driver driver-") && r.err.contains("is FAILED"), r.text());
    assertTrue(clusterDriverStdout(r).isEmpty() || !clusterDriverStdout(r).contains("SUCCEEDED"));
    assertTrue(clusterDriverStderr(r).contains("no-such-input does not exist (fix --input)"), clusterDriverStderr(r));
  }

  @Test
  void statusReportsTheRunningClusterAndExitsThreeForAStoppedOne() throws Exception {
    Result running = run(work.resolve("status-running"), Map.of(), HOME.resolve("scripts/cluster").toString(),
        "status", "--dir", clusterDir.toString());
    assertEquals(0, running.code, running.text());
    assertTrue(running.out.contains("master   " + master) && running.out.contains("worker-2 pid"), running.text());
    Result stopped = run(work.resolve("status-stopped"), Map.of(), HOME.resolve("scripts/cluster").toString(),
        "status", "--dir", work.resolve("no-cluster-here").toString());
    assertEquals(3, stopped.code, stopped.text());
  }

  @Test
  void withSparkHomeSetTheScriptRunsThatSparkSubmitWithTheSameArguments() throws Exception {
    // No Spark release can be downloaded here, so SPARK_HOME is a stand-in whose bin/spark-submit records its call.
    Path sparkHome = work.resolve("other-spark");
    Files.createDirectories(sparkHome.resolve("bin"));
    Path submitScript = sparkHome.resolve("bin/spark-submit");
    Files.writeString(submitScript, "#!/usr/bin/env bash\nprintf '%s\\n' \"$SPARK_CONF_DIR\" \"$TILLSTREAM_HOME\" "
        + "\"$@\" > \"$(dirname \"$0\")/call.txt\"\nexit 7\n");
    submitScript.toFile().setExecutable(true);
    Result r = run(work.resolve("spark-home-call"), Map.of("SPARK_HOME", sparkHome.toString()),
        HOME.resolve("scripts/spark-submit").toString(), "--master", "local[2]", JAR.toString(), "batch",
        "--set", "reporting.currency=USD");
    assertEquals(7, r.code, r.text());
    assertEquals(List.of(HOME.resolve("conf").toString(), HOME.toString(), "--master", "local[2]", JAR.toString(),
        "batch", "--set", "reporting.currency=USD"), Files.readAllLines(sparkHome.resolve("bin/call.txt")));
  }

  private static Result submit(Submission s) throws IOException, InterruptedException {
    // Short-lived JVMs: the C1 compiler alone halves their CPU time (measured), which matters on 2 cores. The
    // driver's options replace conf/spark-defaults.conf's, so they carry its --add-opens list along.
    String driverOptions = Files.readAllLines(HOME.resolve("conf/spark-defaults.conf")).stream()
        .filter(l -> l.startsWith("spark.driver.extraJavaOptions")).findFirst().orElseThrow()
        .substring("spark.driver.extraJavaOptions".length()).trim() + " -XX:TieredStopAtLevel=1";
    List<String> args = new ArrayList<>(List.of(HOME.resolve("scripts/spark-submit").toString(), "--master", master,
        "--deploy-mode", s.deployMode(), "--executor-memory", "1g", "--driver-memory", "1g",
        "--total-executor-cores", "1", "--executor-cores", "1", "--conf", "spark.sql.shuffle.partitions=2",
        "--driver-java-options", driverOptions, "--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1",
        JAR.toString()));
    args.addAll(s.jobArgs());
    return run(work.resolve("submit-" + s.name()), Map.of(), args.toArray(new String[0]));
  }

  private static String clusterDriverStdout(Result r) throws IOException {
    return Files.readString(driverDir(r).resolve("stdout"), StandardCharsets.UTF_8);
  }

  private static String clusterDriverStderr(Result r) throws IOException {
    return Files.readString(driverDir(r).resolve("stderr"), StandardCharsets.UTF_8);
  }

  private static Path driverDir(Result r) throws IOException {
    Matcher m = Pattern.compile("Driver successfully submitted as (driver-[0-9-]+)").matcher(r.err);
    assertTrue(m.find(), r.text());
    for (String worker : List.of("worker-1", "worker-2")) {
      Path dir = clusterDir.resolve(worker).resolve(m.group(1));
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    throw new AssertionError("no work dir for " + m.group(1));
  }

  record Result(int code, String out, String err) {
    String text() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private static Result run(Path prefix, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Path out = Paths.get(prefix + ".out");
    Path err = Paths.get(prefix + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().putAll(env);
    pb.environment().put("TILLSTREAM_METRICS_PORT", "0"); // the metrics are MetricsIT's
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
