package io.tillstream.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecordTest {
  private static final Instant T = Instant.parse("2026-03-10T01:00:00Z");

  @Test
  void whatARunDoesNotSetStaysEmptyAndALongErrorIsCut() {
    RunRecord r = RunRecord.of("batch-1", "batch", T).status("FAILED").error("x".repeat(2500))
        .finishedAt(T.plusSeconds(2));
    assertEquals("x".repeat(RunRecord.ERROR_CHARS) + " ...", r.error());
    assertEquals(List.of("batch-1", "batch", "FAILED", T, T.plusSeconds(2)),
        List.of(r.runId(), r.job(), r.status(), r.startedAt(), r.finishedAt()));
    assertNull(r.input());
    assertNull(r.result());
    assertEquals(0, r.filesRead());
    assertEquals(List.of(), r.warningMessages());
    assertEquals(Map.of(), r.tableVersions());

    RunRecord d = RunRecord.of("replay-1", "replay", T).dates(LocalDate.parse("2025-03-01"), null).error("short")
        .finishedAt(T);
    assertEquals("SUCCEEDED", d.status());
    assertEquals("2025-03-01", d.dateFrom());
    assertNull(d.dateTo());
    assertEquals("short", d.error());
  }
}
