package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.Table;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run of CI, through scripts/chaos itself: a real broker, the stream in its own JVM SIGKILLed
 * twice and restarted, the broker restarted once, a batch over the same input into the same lake meanwhile. Every
 * silver and gold table, and the topic's offsets in bronze, must come out with nothing lost and nothing duplicated
 * against one batch run over the same input.
 */
class ChaosIT {
  static final Path SCRIPT = Paths.get("..", "scripts", "chaos").toAbsolutePath().normalize();
  private static final Pattern VERDICT = Pattern.compile("(?m)^(\\S+(?: \\(Kafka offsets\\))?)\\s+lost (\\d+), "
      + "duplicated (\\d+)\\s");

  /** The script's own limit; about 4 minutes are needed on an idle 2-core machine, far more on a busy one. */
  static final int TIMEOUT_MINUTES = Integer.getInteger("chaos.timeout-minutes", 12);

  @TempDir
  Path work;

  @Test
  void aStreamKilledTwiceWithABrokerRestartAndABatchBesideItLosesAndDuplicatesNothing() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "--kills", "2", "--broker-restarts", "1", "--batch",
        "--seed", "7", "--events", "1500", "--days", "3", "--gap", "12-30", "--work", work.toString(), "--port",
        String.valueOf(freePortPair()), "--timeout-minutes", String.valueOf(TIMEOUT_MINUTES))
        .redirectErrorStream(true).redirectOutput(work.resolve("chaos.out").toFile());
    pb.environment().put("TILLSTREAM_PII_KEY", "chaos-it-key-0123456789");
    pb.environment().remove("TILLSTREAM_PII_KEY_ID");
    Process chaos = pb.start();
    boolean finished = chaos.waitFor(TIMEOUT_MINUTES + 1, TimeUnit.MINUTES);
    if (!finished) {
      chaos.destroy(); // SIGTERM: the script's exit trap stops its processes and the broker
      chaos.waitFor(1, TimeUnit.MINUTES);
    }
    String out = Files.readString(work.resolve("chaos.out"));
    System.out.println(out); // the run's figures, for the CI log
    assertTrue(finished, "scripts/chaos did not finish:\n" + out);
    assertEquals(0, chaos.exitValue(), out);

    List<String> tables = new ArrayList<>();
    Matcher m = VERDICT.matcher(out);
    while (m.find()) {
      tables.add(m.group(1));
      assertEquals(List.of("0", "0"), List.of(m.group(2), m.group(3)), m.group(1) + "\n" + out);
    }
    List<String> expected = new ArrayList<>(LakeComparison.compared().stream().map(Table::qualifiedName).toList());
    expected.add("bronze.sales_events (Kafka offsets)");
    assertEquals(expected, tables, out);
    assertTrue(out.contains("\nchaos: PASSED, nothing lost, nothing duplicated\n"), out);
    assertTrue(Pattern.compile("(?m)^stream: +SIGKILLed at \\d+s \\d+s;").matcher(out).find(), out);
    assertTrue(Pattern.compile("(?m)^broker: +restarted at \\d+s;").matcher(out).find(), out);
    assertTrue(Pattern.compile("(?m)^maintain: none; batch on the same lake: (exit \\d+, )*SUCCEEDED$").matcher(out)
        .find(), out);
  }

  /** A free port whose successor is free too (the broker's controller port). */
  private static int freePortPair() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 50; i++) {
      try (ServerSocket a = new ServerSocket(0, 1, loopback)) {
        try (ServerSocket b = new ServerSocket(a.getLocalPort() + 1, 1, loopback)) {
          return a.getLocalPort();
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no two consecutive free ports");
  }
}
