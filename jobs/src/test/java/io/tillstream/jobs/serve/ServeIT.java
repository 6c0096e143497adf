package io.tillstream.jobs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.testing.Commands;
import io.tillstream.jobs.testing.SamplesLake;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve as a real process (scripts/tillstream serve, with a token) and sql --remote against it: the same answers as
 * a local sql, a new table version visible without restart, and no answer without the token.
 */
class ServeIT {
  static final Path HOME = Paths.get("..").toAbsolutePath().normalize();
  static final String TOKEN = "serve-it-" + Long.toHexString(System.nanoTime());
  static final String BY_CATEGORY = "SELECT category, sum(net_amount) AS net, count(*) AS rows FROM gold.daily_sales"
      + " GROUP BY category ORDER BY category";

  @TempDir
  static Path work;
  static Path lake;
  static Process server;
  static String remote;
  static Map<String, String> env;

  @BeforeAll
  static void serveTheSamplesLake() throws Exception {
    lake = work.resolve("lake");
    SamplesLake.copyTo(lake);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    remote = "sc://localhost:" + port; // Spark's client sends a token without TLS to localhost only
    ProcessBuilder pb = new ProcessBuilder(HOME.resolve("scripts/tillstream").toString(), "serve", "--lake",
        lake.toString(), "--port", String.valueOf(port)).redirectError(work.resolve("serve.err").toFile());
    pb.environment().put(SqlClient.TOKEN_ENV, TOKEN);
    server = pb.start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String first = CompletableFuture.supplyAsync(() -> {
      try {
        return lines.readLine();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(5, TimeUnit.MINUTES);
    assertEquals("tillstream: serving 10 tables of " + lake + " at sc://127.0.0.1:" + port, first,
        () -> errors());
    env = new HashMap<>(SamplesLake.ENV);
    env.put(SqlClient.TOKEN_ENV, TOKEN);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.destroy();
      assertTrue(server.waitFor(1, TimeUnit.MINUTES));
    }
  }

  @Test
  void remoteAnswersEqualLocalOnesAndSeeNewVersionsWithoutRestart() throws Exception {
    Commands.Result local = Commands.run(SamplesLake.ENV, "sql", "--lake", lake.toString(), BY_CATEGORY);
    assertEquals(0, local.code(), local.err());
    Commands.Result viaServer = Commands.run(env, "sql", "--remote", remote, BY_CATEGORY);
    assertEquals(0, viaServer.code(), viaServer.err());
    assertEquals(local.out(), viaServer.out());
    assertEquals(10, local.out().lines().count(), local.out()); // the header and 9 categories

    Path late = work.resolve("late");
    Files.createDirectories(late);
    Files.writeString(late.resolve("late.jsonl"), "{\"schema_version\":1,\"event_id\":\"e-late-serve-1\","
        + "\"event_type\":\"sale\",\"event_time\":\"2025-03-05T12:00:00+00:00\",\"order_id\":\"o-late-serve-1\","
        + "\"store_id\":\"GB-LONDON-01\",\"channel\":\"pos\",\"currency\":\"GBP\",\"customer\":null,"
        + "\"payment\":{\"method\":\"cash\"},\"items\":[{\"sku\":\"SKU-00103\",\"quantity\":1000,"
        + "\"unit_price\":1.00}]}\n", StandardCharsets.UTF_8);
    Commands.Result batch = Commands.run(SamplesLake.ENV, "batch", "--input", late.toString(), "--dims",
        SamplesLake.SAMPLES.resolve("dims").toString(), "--lake", lake.toString());
    assertEquals(0, batch.code(), batch.err());
    String sold = "SELECT sum(units_sold) FROM gold.daily_sales WHERE business_date = DATE'2025-03-05'";
    Commands.Result after = Commands.run(env, "sql", "--remote", remote, sold);
    assertEquals(Commands.run(SamplesLake.ENV, "sql", "--lake", lake.toString(), sold).out(), after.out());
    long units = Long.parseLong(after.out().lines().skip(1).findFirst().orElseThrow());
    assertTrue(units > 1000, after.out());
  }

  @Test
  void withoutTheTokenTheServerAnswersNothing() {
    Commands.Result noToken = Commands.run(SamplesLake.ENV, "sql", "--remote", remote, "SELECT 1");
    assertEquals(1, noToken.code(), noToken.out());
    assertTrue(noToken.err().contains("query on " + remote + " failed"), noToken.err());
    assertTrue(noToken.err().contains("UNAUTHENTICATED"), noToken.err());
  }

  @Test
  void aPublicAddressWithoutTokenIsRefusedBeforeServing() {
    Commands.Result r = Commands.run(SamplesLake.ENV, "serve", "--lake", lake.toString(), "--set",
        "serve.host=0.0.0.0");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("serve.host=0.0.0.0 is not a loopback address: anyone who reaches it could query the"
        + " lake; set a token in TILLSTREAM_SQL_TOKEN"), r.err());
  }

  private static String errors() {
    try {
      return Files.readString(work.resolve("serve.err"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
