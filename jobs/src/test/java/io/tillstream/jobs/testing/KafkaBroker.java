package io.tillstream.jobs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka 3.9.2 broker (KRaft, 127.0.0.1 only) for tests, run through {@code scripts/kafka}.
 * The broker is a separate JVM with its own classpath (scripts/kafka-broker/pom.xml), so its Scala and slf4j
 * never meet Spark's. Use with try-with-resources:
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start(tempDir.resolve("kafka"))) {
 *   ... .option("kafka.bootstrap.servers", kafka.bootstrap()) ...
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {
  /** Covers a first classpath resolution by Maven plus the script's own 60 s start and 30 s stop limits. */
  private static final long SCRIPT_TIMEOUT_SECONDS = 180;

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private volatile boolean running;

  private KafkaBroker(Path dir, int port, int controllerPort) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
    // A broker outlives the test JVM unless stopped: stop it on exit if a test forgot to.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (running) {
        stop();
      }
    }, "kafka-broker-stop"));
  }

  /** Starts a broker with its data, config and logs in {@code dir}, on two free ports. */
  public static KafkaBroker start(Path dir) {
    int[] ports = freePorts();
    KafkaBroker broker = new KafkaBroker(dir.toAbsolutePath().normalize(), ports[0], ports[1]);
    broker.script("start");
    broker.running = true;
    return broker;
  }

  /** The value for {@code bootstrap.servers}. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  public Path dir() {
    return dir;
  }

  /** Stops the broker (SIGTERM, SIGKILL after 30 s); does nothing if it is not running. */
  public void stop() {
    script("stop");
    running = false;
  }

  /** Stops and starts the broker again on the same port and directory; topics and offsets are kept. */
  public void restart() {
    stop();
    script("start");
    running = true;
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + bootstrap() + ", " + dir + "]";
  }

  /** Runs {@code scripts/kafka COMMAND} for this broker; its output goes to {@code dir/script-COMMAND.log}. */
  private void script(String command) {
    Path script = projectHome().resolve("scripts").resolve("kafka");
    Path log = dir.resolve("script-" + command + ".log");
    try {
      Files.createDirectories(dir);
      Process process = new ProcessBuilder(script.toString(), command, "--dir", dir.toString(),
          "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "scripts/kafka " + command + " did not finish in " + SCRIPT_TIMEOUT_SECONDS + " s:\n" + read(log));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "scripts/kafka " + command + " exited with " + process.exitValue() + ":\n" + read(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("scripts/kafka " + command + " for " + dir + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running scripts/kafka " + command, e);
    }
  }

  /** The project directory: -Dtillstream.home (set by the root pom's surefire config), else the parent of the module. */
  private static Path projectHome() {
    return Paths.get(System.getProperty("tillstream.home", "..")).toAbsolutePath().normalize();
  }

  /** Two distinct free ports on the loopback address (both sockets are open at once, so they differ). */
  private static int[] freePorts() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket client = new ServerSocket(0, 1, loopback);
        ServerSocket controller = new ServerSocket(0, 1, loopback)) {
      return new int[] {client.getLocalPort(), controller.getLocalPort()};
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
