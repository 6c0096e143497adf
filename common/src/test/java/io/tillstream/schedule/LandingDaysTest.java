package io.tillstream.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingDaysTest {
  private static final LocalDate DAY = LocalDate.parse("2026-03-10");

  @Test
  void yesterdayIsTakenInTheConfiguredTimeZone() {
    Clock clock = Clock.fixed(Instant.parse("2026-03-10T20:00:00Z"), ZoneOffset.UTC);
    assertEquals(LocalDate.parse("2026-03-09"), LandingDays.yesterday(clock, ZoneId.of("UTC")));
    // 05:00 on 11 March in Tokyo, 10:00 on 10 March in Honolulu.
    assertEquals(LocalDate.parse("2026-03-10"), LandingDays.yesterday(clock, ZoneId.of("Asia/Tokyo")));
    assertEquals(LocalDate.parse("2026-03-09"), LandingDays.yesterday(clock, ZoneId.of("Pacific/Honolulu")));
  }

  @Test
  void theDayFolderIsUnderTheLandingRootOnAnyFileSystem() {
    assertEquals("landing/date=2026-03-10", LandingDays.folder("landing", DAY));
    assertEquals("s3a://bucket/in/date=2026-03-10", LandingDays.folder("s3a://bucket/in/", DAY));
  }

  @Test
  void eventFilesOfMissingEmptyAndFilledDays(@TempDir Path landing) throws Exception {
    Configuration hadoop = new Configuration();
    assertEquals(List.of(), LandingDays.eventFiles(hadoop, landing.toString(), DAY));
    Path folder = Files.createDirectories(landing.resolve("date=2026-03-10"));
    Files.writeString(folder.resolve("_SUCCESS"), "");
    Files.writeString(folder.resolve(".part.jsonl.crc"), "");
    assertEquals(List.of(), LandingDays.eventFiles(hadoop, landing.toString(), DAY));
    Files.writeString(folder.resolve("b.jsonl"), "{}\n");
    Files.writeString(folder.resolve("a.jsonl.gz"), "");
    List<String> files = LandingDays.eventFiles(hadoop, landing.toString(), DAY);
    assertEquals(List.of("a.jsonl.gz", "b.jsonl"),
        files.stream().map(f -> f.substring(f.lastIndexOf('/') + 1)).toList());
  }
}
