package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.testing.HostileRecords;
import io.tillstream.testing.HostileRecords.Hostile;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,200 hostile records carrying known personal data through the real command line into a real lake: none of
 * the values, nor their digits as a run, is in any byte the run leaves on disk (Parquet uncompressed so that a
 * byte scan sees every value; the Delta log included) or in anything it prints.
 */
class PiiLeakIT {
  private static final int RECORDS = 1200;

  @Test
  void noPersonalDataReachesDiskOrOutputInAnyShape(@TempDir Path work) throws Exception {
    List<Hostile> records = new HostileRecords(7L).next(RECORDS);
    Path input = Files.createDirectories(work.resolve("in"));
    try (OutputStream plain = Files.newOutputStream(input.resolve("hostile.jsonl"));
        OutputStream gz = new GZIPOutputStream(Files.newOutputStream(input.resolve("hostile.jsonl.gz")))) {
      for (int i = 0; i < records.size(); i++) {
        OutputStream out = i % 3 == 0 ? gz : plain;
        out.write(records.get(i).line());
        out.write('\n');
      }
    }
    List<String> secrets = HostileRecords.secretsOf(records);
    // the scan finds what is there: most records hold their values readably (the others were cut before them or
    // spell their digits as JSON escapes)
    long readable = records.stream().filter(h -> !HostileRecords.leaks(new String(h.line(),
        StandardCharsets.ISO_8859_1), h.secrets()).isEmpty()).count();
    assertTrue(readable > RECORDS * 4 / 5, readable + " of " + RECORDS);

    Path lake = work.resolve("lake");
    Path log = work.resolve("run.log");
    ProcessBuilder pb = new ProcessBuilder(ReadmeCommandsIT.SCRIPT.toString(), "batch", "--input", input.toString(),
        "--dims", SamplesLake.SAMPLES.resolve("dims").toString(), "--lake", lake.toString(),
        "--set", "spark.sql.parquet.compression.codec=uncompressed")
        .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TILLSTREAM_PII_KEY", "pii-leak-test-key-0123456789");
    Process p = pb.start();
    boolean finished = p.waitFor(10, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    if (!finished) {
      p.destroyForcibly();
    }
    assertTrue(finished, "batch did not finish: " + output.substring(Math.max(0, output.length() - 3000)));
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.matches("(?s).*read " + RECORDS + " = accepted \\d+ \\+ quarantined \\d+ \\+ duplicates \\d+"
        + " \\+ dropped 0 \\+ out_of_range 0 -> reconciled.*"), output);

    List<String> leaks = new ArrayList<>();
    leaks.addAll(HostileRecords.leaks(output, secrets).stream().map(s -> "output: " + s).toList());
    long files;
    try (Stream<Path> all = Files.walk(lake)) {
      List<Path> regular = all.filter(Files::isRegularFile).toList();
      files = regular.size();
      for (Path f : regular) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        HostileRecords.leaks(bytes, secrets).forEach(s -> leaks.add(lake.relativize(f) + ": " + s));
      }
    }
    assertTrue(files > 20, "the lake holds " + files + " files");
    // the scan reads Parquet as written: uncompressed, its strings are there in clear
    assertTrue(Files.readString(parquetOf(lake.resolve("silver/sales_lines")), StandardCharsets.ISO_8859_1)
        .contains("NL-AMS-01"));
    assertEquals(List.of(), leaks.subList(0, Math.min(10, leaks.size())), leaks.size() + " leaks");
    assertFalse(lake.resolve("silver/quarantine").toFile().list().length == 0);
  }

  private static Path parquetOf(Path table) throws java.io.IOException {
    try (Stream<Path> all = Files.walk(table)) {
      return all.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
  }
}
