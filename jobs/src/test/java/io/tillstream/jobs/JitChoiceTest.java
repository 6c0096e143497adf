package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.lake.SparkSessions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/lib/jit.sh, run by bash: C1 alone for short commands and small batches, the default JIT for the rest. */
class JitChoiceTest {
  private static final Path JIT = Paths.get("..", "scripts", "lib", "jit.sh").toAbsolutePath().normalize();
  private static final String C1 = "-XX:TieredStopAtLevel=1";

  @TempDir
  Path dir;

  @Test
  void smallInputThresholdIsTheInterpretationThreshold() throws IOException {
    Matcher m = Pattern.compile("(?m)^SMALL_INPUT_BYTES=(\\d+)$").matcher(Files.readString(JIT));
    assertEquals(true, m.find(), "SMALL_INPUT_BYTES is declared in " + JIT);
    assertEquals(SparkSessions.INTERPRET_BELOW_BYTES, Long.parseLong(m.group(1)));
  }

  @Test
  void shortCommandsAndSmallBatchesRunWithC1Alone() throws Exception {
    Path small = Files.writeString(dir.resolve("small.jsonl"), "{}\n");
    Path large = dir.resolve("large.jsonl");
    try (RandomAccessFile f = new RandomAccessFile(large.toFile(), "rw")) {
      // sparse: du -b counts its apparent size; with the small file, exactly the threshold
      f.setLength(SparkSessions.INTERPRET_BELOW_BYTES - Files.size(small));
    }
    assertEquals(C1, jit(Map.of(), "sql", "--lake", "x", "SELECT 1"));
    assertEquals(C1, jit(Map.of(), "status"));
    assertEquals(C1, jit(Map.of(), "batch"), "no --input: the bundled samples");
    assertEquals(C1, jit(Map.of(), "batch", "--input", small.toString(), "--lake", "x"));
    assertEquals(C1, jit(Map.of(), "batch", "--input=" + "file:" + small));
    assertEquals(C1, jit(Map.of(), "batch", "--input", large.toString()), "one byte less than the threshold");
    assertEquals("", jit(Map.of(), "batch", "--input", small.toString(), "--input", large.toString()));
    assertEquals("", jit(Map.of(), "batch", "--input", "s3a://bucket/events"));
    assertEquals("", jit(Map.of(), "stream", "--source", "kafka"));
    assertEquals("", jit(Map.of(), "serve", "--lake", "x"));
    assertEquals("", jit(Map.of("TILLSTREAM_JAVA_OPTS", "-Xmx1g"), "sql", "SELECT 1"), "the user's options decide");
  }

  /** The JIT options jit.sh chooses for a command line, space-separated. */
  private static String jit(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "-c",
        "set -euo pipefail; . \"$0\"; jit_options \"$@\"; echo \"${JIT_OPTS[*]}\"", JIT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("TILLSTREAM_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
