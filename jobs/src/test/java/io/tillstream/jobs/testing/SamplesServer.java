package io.tillstream.jobs.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One real `scripts/tillstream serve` per test JVM, with a token, over its own copy of the samples lake: the SQL
 * endpoint the serve and notebook tests query. Tests may add table versions that change no figure they or the
 * notebooks read (bronze), nothing else.
 */
public final class SamplesServer {
  public static final String TOKEN = "samples-server-" + Long.toHexString(System.nanoTime());

  private static Path lake;
  private static int port;
  private static String banner;

  /** The served lake (made and served on the first call). */
  public static synchronized Path lake() {
    if (lake == null) {
      start();
    }
    return lake;
  }

  /** sc://localhost:PORT: Spark's client sends a token without TLS to localhost only. */
  public static String remote() {
    lake();
    return "sc://localhost:" + port;
  }

  /** What serve printed when it was ready. */
  public static String banner() {
    lake();
    return banner;
  }

  private static void start() {
    try {
      Path dir = Files.createTempDirectory("tillstream-samples-server");
      Path served = dir.resolve("lake");
      SamplesLake.copyTo(served);
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path home = Paths.get("..").toAbsolutePath().normalize();
      ProcessBuilder pb = new ProcessBuilder(home.resolve("scripts/tillstream").toString(), "serve", "--lake",
          served.toString(), "--port", String.valueOf(port)).redirectError(dir.resolve("serve.err").toFile());
      pb.environment().put("TILLSTREAM_SQL_TOKEN", TOKEN);
      Process server = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "samples-server-stop"));
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).get(5, TimeUnit.MINUTES);
      if (first == null || !first.startsWith("tillstream: serving ")) {
        throw new IllegalStateException("serve did not start: " + first + "\n"
            + Files.readString(dir.resolve("serve.err")));
      }
      banner = first;
      lake = served;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the samples server", e);
    }
  }

  private SamplesServer() {}
}
