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
    assertEquals(5 * "{}\n".length(), listing.bytes(), "the five event files' bytes, not the skipped ones'");
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

  @Test
  void aSymlinkIsReadUnderItsOwnNameAndADirectoryIsDescended(@TempDir Path dir, @TempDir Path elsewhere)
      throws IOException {
    Path in = dir.resolve("in");
    touch(in.resolve("a.jsonl"));
    touch(in.resolve("nested.jsonl/inner.jsonl"));
    touch(elsewhere.resolve("target.jsonl"));
    Files.createSymbolicLink(in.resolve("link.jsonl"), elsewhere.resolve("target.jsonl"));
    assertEquals(List.of("a.jsonl", "link.jsonl", "nested.jsonl/inner.jsonl"),
        names(in, InputFiles.list(conf, List.of(in.toString()), null, null)));
  }

  @Test
  void aBrokenSymlinkOrASymlinkLoopFailsFastNamingIt(@TempDir Path dir) throws IOException {
    touch(dir.resolve("a.jsonl"));
    Files.createSymbolicLink(dir.resolve("b.jsonl"), dir.resolve("missing.jsonl"));
    ConfigError broken = assertThrows(ConfigError.class, () -> InputFiles.list(conf, List.of(dir.toString()), null,
        null));
    assertEquals("cannot read input file:" + dir.resolve("b.jsonl") + ": it cannot be opened (a broken symbolic"
        + " link?)", broken.getMessage());
    Files.delete(dir.resolve("b.jsonl"));
    Files.createDirectories(dir.resolve("sub"));
    Files.createSymbolicLink(dir.resolve("sub/up"), dir);
    ConfigError loop = assertThrows(ConfigError.class, () -> InputFiles.list(conf, List.of(dir.toString()), null,
        null));
    assertEquals("input file:" + dir.resolve("sub/up") + " is a symbolic link loop (it leads back to "
        + dir.toRealPath() + "): remove the link", loop.getMessage());
  }

  @Test
  void anUnreadableFileFailsFastNamingIt(@TempDir Path dir) throws IOException {
    Path locked = dir.resolve("locked.jsonl");
    touch(locked);
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    try {
      // Root reads a file of mode 000: there is nothing unreadable to test then.
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as root: mode 000 reads");
      ConfigError e = assertThrows(ConfigError.class, () -> InputFiles.list(conf, List.of(dir.toString()), null,
          null));
      assertEquals(true, e.getMessage().startsWith("cannot read input file:" + locked + ": "), e.getMessage());
      assertEquals(true, e.getMessage().contains("Permission denied"), e.getMessage());
    } finally {
      Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }
}
