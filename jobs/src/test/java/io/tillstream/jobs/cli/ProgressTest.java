package io.tillstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.run.StageTimer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void logsGetOnePlainLinePerStageAndStep() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), "batch", false);
    StageTimer timer = new StageTimer(p);
    assertEquals(7, timer.time("write bronze", () -> 7));
    p.step(3, 10, "day 2025-03-03");
    p.end();
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).matches("batch \\[ +\\d+\\.\\d s] write bronze \\.\\.\\."), lines.get(0));
    assertTrue(lines.get(1).matches("batch \\[ +\\d+\\.\\d s] write bronze done in \\d+ ms"), lines.get(1));
    assertTrue(lines.get(2).matches("batch \\[ +\\d+\\.\\d s] 3/10 day 2025-03-03"), lines.get(2));
    assertEquals(List.of("write bronze"), List.copyOf(timer.ordered().keySet()));
  }

  @Test
  void aTerminalGetsOneUpdatingLineWithABarClearedAtTheEnd() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), "backfill", true);
    p.started("load dimensions");
    p.finished("load dimensions", 12);
    p.step(5, 10, "day 2025-03-05");
    p.end();
    String text = buf.toString(StandardCharsets.UTF_8);
    assertTrue(!text.contains("\n"), "no line breaks on a terminal: " + text);
    assertTrue(text.matches("\r\033\\[Kbackfill \\[ +\\d+\\.\\d s] load dimensions \\.\\.\\."
        + "\r\033\\[Kbackfill \\[ +\\d+\\.\\d s] \\[##########\\.{10}] 5/10 day 2025-03-05\r\033\\[K"), text);
  }
}
