package io.tillstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile bytes at the file level: line ends, blank-looking lines, invalid UTF-8, damaged and missing files. */
class RawLinesTest {
  private final Configuration conf = new Configuration();

  /** "line: value" of every record of a file. */
  private List<String> records(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    Iterator<Row> it = RawLines.linesOf(conf, file.toUri().toString());
    while (it.hasNext()) {
      Row r = it.next();
      assertEquals(file.toUri().toString(), r.getString(0));
      out.add(r.getLong(1) + ": " + r.getString(2));
    }
    return out;
  }

  /** Two complete lines flushed, then two more; the gzip bytes and the length of the flushed part. */
  static byte[] gzipWithFlushPoint(int[] flushed) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes, true)) {
      out.write("{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      flushed[0] = bytes.size();
      out.write("{\"c\":3}\n{\"d\":4}\n".getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  @Test
  void linesEndAtLfCrOrCrlfAndOnlySpacesAndTabsMakeABlankLine(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("e.jsonl");
    // Form feed, unit separator and an em space are whitespace to Java but not to JSON: those lines are records.
    Files.write(f, "A\r\nB\rC\n \t \n\f\n\u001F\n\u2003\nD".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("1: A", "2: B", "3: C", "5: \f", "6: \u001F", "7: \u2003", "8: D"), records(f));
  }

  @Test
  void invalidUtf8BecomesReplacementCharactersInItsOwnLineOnly(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("e.jsonl");
    byte[] bytes = {'a', (byte) 0xC3, '\n', (byte) 0xFF, (byte) 0xFE, 'b', '\n', (byte) 0xC3, (byte) 0xA9, '\n'};
    Files.write(f, bytes);
    assertEquals(List.of("1: a\uFFFD", "2: \uFFFD\uFFFDb", "3: \u00E9"), records(f));
  }

  @Test
  void aTruncatedGzipKeepsTheLinesBeforeTheDamageAndRecordsTheDamageAtItsLine(@TempDir Path dir)
      throws IOException {
    int[] flushed = new int[1];
    byte[] gzip = gzipWithFlushPoint(flushed);
    Path cutInLine3 = dir.resolve("a.jsonl.gz");
    Files.write(cutInLine3, Arrays.copyOf(gzip, flushed[0] + 5));
    assertEquals(List.of("1: {\"a\":1}", "2: {\"b\":2}", "3: " + RawLines.READ_ERROR
        + "EOFException: Unexpected end of input stream; the line read so far: {\"c\""), records(cutInLine3));
    Path trailerCut = dir.resolve("b.jsonl.gz");
    Files.write(trailerCut, Arrays.copyOf(gzip, gzip.length - 1));
    assertEquals(List.of("1: {\"a\":1}", "2: {\"b\":2}", "3: {\"c\":3}", "4: {\"d\":4}", "5: " + RawLines.READ_ERROR
        + "EOFException: Unexpected end of input stream"), records(trailerCut));
  }

  @Test
  void anEmptyFileHasNoRecordsButAnEmptyOrMissingGzipIsOneReadErrorRecord(@TempDir Path dir) throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.jsonl"));
    assertEquals(List.of(), records(empty));
    Path emptyGzip = Files.createFile(dir.resolve("empty.jsonl.gz"));
    assertEquals(List.of("1: " + RawLines.READ_ERROR + "EOFException: Unexpected end of input stream"),
        records(emptyGzip));
    Path gone = dir.resolve("gone.jsonl");
    assertEquals(List.of("1: " + RawLines.READ_ERROR + "FileNotFoundException: File " + gone.toUri().toString()
        .replace("file:///", "file:/") + " does not exist"), records(gone));
  }

  @Test
  void aTenMegabyteLineIsOneRecord(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("big.jsonl");
    String big = "x".repeat(10 << 20);
    Files.writeString(f, "{}\n" + big + "\n{}\n");
    List<String> got = records(f);
    assertEquals(3, got.size());
    assertEquals("2: " + big, got.get(1));
    assertEquals("3: {}", got.get(2));
  }

  @Test
  void aLineBeyondTheLimitIsOneRecordWithItsFirstBytesAndReadingGoesOn(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("zeros.jsonl");
    // A file of NUL bytes, as left by a crash, is one endless line.
    Files.write(f, concat("{}\n", new byte[100], "\n{}\n", new byte[100]));
    List<String> got = new ArrayList<>();
    RawLines.linesOf(conf, f.toUri().toString(), 16).forEachRemaining(r -> got.add(r.getLong(1) + ": " + r.getString(2)));
    String sixteenNuls = "\u0000".repeat(16);
    assertEquals(List.of("1: {}", "2: " + RawLines.LINE_TOO_LONG + sixteenNuls, "3: {}",
        "4: " + RawLines.LINE_TOO_LONG + sixteenNuls), got);
  }

  private static byte[] concat(String a, byte[] b, String c, byte[] d) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(b);
    out.writeBytes(c.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(d);
    return out.toByteArray();
  }
}
