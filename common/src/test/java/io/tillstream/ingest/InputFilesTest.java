package io.tillstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tillstream.config.ConfigError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
  private final Configuration conf = new Configuration();

  private static void touch(Path p) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "{}\n");
  }

  private List<String> names(Path root, List<String> files) {
    return files.stream().map(f -> root.toUri().relativize(Path.of(java.net.URI.create(f)).toUri()).toString())
        .toList();
  }

  @Test
  void directoriesExpandToEventFilesInOrderSkippingHiddenAndOtherFiles(@TempDir Path dir) throws IOException {
    for (String f : List.of("b.jsonl", "a.json.gz", "part-00000", "notes.md", "dims/stores.csv", ".hidden.jsonl",
        "_SUCCESS", "_tmp/x.jsonl", "sub/c.ndjson", "d.JSONL")) {
      touch(dir.resolve(f));
    }
    InputFiles.Listing listing = InputFiles.listing(conf, List.of(dir.toString()), null, null);
    assertEquals(List.of("a.json.gz", "b.jsonl", "d.JSONL", "part-00000", "sub/c.ndjson"), names(dir, listing.files()));
    assertEquals(List.of("dims/stores.csv", "notes.md"), names(dir, listing.skipped()));
  }

  @Test
  void dateFoldersOutsideTheRangeAreNotRead(@TempDir Path dir) throws IOException {
    for (String d : List.of("2025-03-01", "2025-03-02", "2025-03-03")) {
      touch(dir.resolve("date=" + d + "/events.jsonl"));
    }
    assertEquals(List.of("date=2025-03-02/events.jsonl"), names(dir, InputFiles.list(conf, List.of(dir.toString()),
        LocalDate.parse("2025-03-02"), LocalDate.parse("2025-03-02"))));
    assertThrows(ConfigError.class, () -> InputFiles.list(conf, List.of(dir.resolve("nope").toString()), null, null));
  }

  @Test
  void gzipLinesKeepTheirNumbersAndBlankLinesAreNotRecords(@TempDir Path dir) throws IOException {
    Path gz = dir.resolve("e.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("{\"a\":1}\r\n\n   \n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
    }
    Iterator<Row> rows = RawLines.linesOf(conf, gz.toUri().toString());
    Row first = rows.next();
    Row second = rows.next();
    assertEquals(false, rows.hasNext());
    assertEquals(1L, first.getLong(1));
    assertEquals("{\"a\":1}", first.getString(2));
    assertEquals(4L, second.getLong(1));
  }
}
