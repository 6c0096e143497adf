package io.tillstream.jobs.testing;

import io.tillstream.jobs.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The lake of one batch run over the bundled samples ({@code batch --input data-samples/events --dims
 * data-samples/dims}, PII key {@link #KEY}), made once per test JVM: several test classes start from it, each with
 * its own copy, instead of each running the same batch again.
 */
public final class SamplesLake {
  public static final String KEY = "samples-test-key-0123456789";
  public static final Map<String, String> ENV = Map.of("TILLSTREAM_PII_KEY", KEY);
  public static final Path SAMPLES = Paths.get("..", "data-samples").toAbsolutePath().normalize();

  private static Path built;
  private static String output;

  /**
   * Copies the samples lake (made on the first call) to {@code target}, which must not exist yet; returns what the
   * batch run printed on standard output.
   */
  public static synchronized String copyTo(Path target) {
    try {
      if (built == null) {
        Path dir = Files.createTempDirectory("tillstream-samples-lake");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "samples-lake-cleanup"));
        Path lake = dir.resolve("lake");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"batch", "--input", SAMPLES.resolve("events").toString(), "--dims",
            SAMPLES.resolve("dims").toString(), "--lake", lake.toString()}, ENV,
            new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        output = out.toString(StandardCharsets.UTF_8);
        if (code != 0) {
          throw new IllegalStateException("the samples batch exited with " + code + ":\n" + output);
        }
        built = lake;
      }
      copy(built, target);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      throw new IllegalStateException(to + " exists already");
    }
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory: best effort
    }
  }

  private SamplesLake() {}
}
