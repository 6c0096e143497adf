package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, as a user types it: scripts/tillstream batch, then sql piped to a file; on the way,
 * the batch run's Spark UI and its event log, which scripts/history-server serves.
 */
class ReadmeCommandsIT {
  static final Path SCRIPT = Paths.get("..", "scripts", "tillstream").toAbsolutePath().normalize();

  static Process start(Path cwd, Path stdout, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stdout.resolveSibling(stdout.getFileName() + ".err").toFile());
    pb.environment().remove("TILLSTREAM_PII_KEY");
    pb.environment().remove("TILLSTREAM_PII_KEY_ID");
    return pb.start();
  }

  @Test
  void batchWithNoArgumentsRunsOnTheSamplesIntoDotLake(@TempDir Path cwd) throws Exception {
    Path out = cwd.resolve("batch.out");
    Process p = start(cwd, out, "batch");
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "batch did not finish");
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("read 310 = accepted 283 + quarantined 17 + duplicates 10 + dropped 0 + out_of_range 0"
        + " -> reconciled"), text);
    assertTrue(Files.isDirectory(cwd.resolve("lake/gold/daily_sales/_delta_log")));
    String log = Files.readString(cwd.resolve("batch.out.err"), StandardCharsets.UTF_8);
    assertTrue(log.matches("(?s).*tillstream: Spark UI at http://127\\.0\\.0\\.1:\\d+\n.*"), log);
    assertEquals(List.of("tillstream-batch"), historyServerApplications(cwd));

    Path csv = cwd.resolve("daily.csv");
    Process q = start(cwd, csv, "sql", "SELECT store_id, sum(net_amount) AS net FROM gold.daily_sales"
        + " WHERE store_id = 'NL-AMS-01' GROUP BY store_id");
    assertTrue(q.waitFor(5, TimeUnit.MINUTES), "sql did not finish");
    assertEquals(0, q.exitValue());
    assertEquals(List.of("store_id,net", "NL-AMS-01,73.50"), Files.readAllLines(csv));
  }

  /** The completed applications scripts/history-server lists for the lake under {@code cwd}. */
  private static List<String> historyServerApplications(Path cwd) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path script = SCRIPT.resolveSibling("history-server");
    Process start = new ProcessBuilder(script.toString(), "start", "--lake", cwd.resolve("lake").toString(),
        "--port", Integer.toString(port), "--dir", cwd.resolve("history").toString()).inheritIO().start();
    try {
      assertTrue(start.waitFor(5, TimeUnit.MINUTES) && start.exitValue() == 0, "the History Server did not start");
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest apps = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/applications"))
          .build();
      List<String> completed = new ArrayList<>();
      for (int i = 0; i < 120 && completed.isEmpty(); i++) { // it lists the event logs every 2 s
        Thread.sleep(500);
        for (JsonNode app : new ObjectMapper().readTree(http.send(apps, BodyHandlers.ofString()).body())) {
          if (app.path("attempts").path(0).path("completed").asBoolean()) {
            completed.add(app.path("name").asText());
          }
        }
      }
      return completed;
    } finally {
      new ProcessBuilder(script.toString(), "stop", "--dir", cwd.resolve("history").toString()).inheritIO().start()
          .waitFor(1, TimeUnit.MINUTES);
    }
  }
}
