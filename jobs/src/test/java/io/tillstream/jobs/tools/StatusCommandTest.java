package io.tillstream.jobs.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.Main;
import io.tillstream.jobs.cli.CommandContext;
import io.tillstream.jobs.testing.Commands;
import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.run.IngestResult;
import io.tillstream.run.OpsLog;
import io.tillstream.run.RunRecord;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/tillstream status on a known lake: the samples batch plus three stream micro-batches. */
class StatusCommandTest {
  @Test
  void statusSummarizesRunsStreamQuarantineAndTables(@TempDir Path dir) {
    Path root = dir.resolve("lake");
    SamplesLake.copyTo(root);
    Lake lake = new Lake(SparkTestSession.get(), root.toString());
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    OpsLog log = new OpsLog(lake);
    log.append(microBatch("stream-1", now.minus(Duration.ofMinutes(90)), "SUCCEEDED", 100, 0));
    log.append(microBatch("stream-2", now.minus(Duration.ofMinutes(10)), "FAILED", 5, 0));
    long opsVersion = log.append(microBatch("stream-3", now.minusSeconds(30), "SUCCEEDED", 40, 2));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"status", "--lake", root.toString()}, new CommandContext(Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Clock.fixed(now, ZoneOffset.UTC)));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    List<String> lines = text.lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.matches("  batch +SUCCEEDED .* 310 +283 +17 +10  batch-.*")), text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("  stream +SUCCEEDED .* 40 +38 +2 +0  stream-3")), text);
    assertTrue(text.contains("  last micro-batch committed " + now.minusSeconds(30).toString().replace('T', ' ')
        .replace("Z", "") + " (30 s ago)\n  last hour: 2 micro-batches, 45 records read, 1 failed\n"), text);
    // 310 + 100 + 5 + 40 read; unknown_store: 1 in the samples and 2 in the last micro-batch.
    assertTrue(text.contains("(455 records read)\n"), text);
    assertTrue(text.contains("  unknown_store                    3    0.66%\n"), text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("  ops\\.runs +" + opsVersion + " +\\d+ +\\d+")), text);
    assertEquals(Table.values().length, lines.subList(lines.indexOf("tables") + 2, lines.size()).size(), text);
  }

  @Test
  void aLakeWithoutTablesIsAUsageError(@TempDir Path dir) {
    Commands.Result r = Commands.run(Map.of(), "status", "--lake", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no Tillstream tables under"), r.err());
  }

  private static RunRecord microBatch(String id, Instant finished, String status, long read, long unknownStore) {
    IngestResult result = new IngestResult(read, read - unknownStore, unknownStore, 0, 0, 0, read - unknownStore,
        unknownStore == 0 ? Map.of() : Map.of("unknown_store", unknownStore), Map.of(), new TreeSet<>(), Map.of(),
        List.of(), Map.of());
    return RunRecord.of(id, "stream", finished.minusSeconds(5)).status(status).input("kafka:sales").result(result)
        .finishedAt(finished);
  }
}
