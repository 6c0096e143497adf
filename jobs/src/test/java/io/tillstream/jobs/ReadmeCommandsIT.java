package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, as a user types it: scripts/tillstream batch, then sql piped to a file. */
class ReadmeCommandsIT {
  static final Path SCRIPT = Paths.get("..", "scripts", "tillstream").toAbsolutePath().normalize();

  static Process start(Path cwd, Path stdout, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
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

    Path csv = cwd.resolve("daily.csv");
    Process q = start(cwd, csv, "sql", "SELECT store_id, sum(net_amount) AS net FROM gold.daily_sales"
        + " WHERE store_id = 'NL-AMS-01' GROUP BY store_id");
    assertTrue(q.waitFor(5, TimeUnit.MINUTES), "sql did not finish");
    assertEquals(0, q.exitValue());
    assertEquals(List.of("store_id,net", "NL-AMS-01,73.50"), Files.readAllLines(csv));
  }
}
