package io.tillstream.jobs.serve;

import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.LakeOption;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import io.tillstream.lake.Table;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream serve: a long-lived Spark Connect endpoint over the lake's tables. */
@Command(name = "serve",
    description = {"a long-lived SQL endpoint (Spark Connect) over the lake's tables",
        "Serves every lake table by its public name (gold.daily_sales, ops.runs, ...) over Spark Connect until"
        + " stopped (SIGTERM or Ctrl-C). Queries see each table's latest version; tables a later run creates are"
        + " registered within " + ServeCommand.NEW_TABLES_EVERY_SECONDS + " s. Query it with sql (which finds"
        + " a running serve of its lake through <lake>/ops/_serving), sql --remote sc://HOST:PORT, or any Spark"
        + " Connect client.",
        "Binds to loopback (serve.host); any other address requires a token in TILLSTREAM_SQL_TOKEN, which"
        + " clients then send (sql --remote reads the same variable)."},
    footer = {"Keys: serve.host, serve.port, sql.remote.",
        "Exit codes: 2 usage or config error (a taken port, a public address without token); otherwise it runs"
        + " until stopped."})
public final class ServeCommand extends JobCommand {
  static final int NEW_TABLES_EVERY_SECONDS = 30;

  /** Spark Connect's server, started with the driver (spark-connect's driver plugin). */
  static final String CONNECT_PLUGIN = "org.apache.spark.sql.connect.SparkConnectPlugin";

  @Mixin
  LakeOption lake;

  @Option(names = "--port", paramLabel = "P", description = "port to serve on (default: serve.port, 15002)")
  Integer port;

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() throws InterruptedException {
    TillstreamConfig c = config.load(env());
    String host = c.get(ConfigKeys.SERVE_HOST);
    int p = port != null ? port : c.get(ConfigKeys.SERVE_PORT);
    SparkSession spark = SparkSessions.getOrCreate("tillstream-serve",
        connectSettings(c.sparkSettings(), host, p, env().get(SqlClient.TOKEN_ENV)));
    Lake tables = new Lake(spark, lake.root(c));
    Set<Table> registered = tables.registerNewTables();
    warmUp(spark, registered);
    // Spark's client sends a token in the clear only to "localhost"; to any other name it insists on TLS.
    ServingFile.write(tables.root(), "sc://" + (isLoopback(host) ? "localhost" : host) + ":" + p);
    out().println("tillstream: serving " + registered.size() + " tables of " + lake.root(c) + " at sc://" + host
        + ":" + p);
    out().flush();
    while (!Thread.currentThread().isInterrupted()) {
      Thread.sleep(Duration.ofSeconds(NEW_TABLES_EVERY_SECONDS).toMillis());
      Set<Table> added = tables.registerNewTables();
      warmUp(spark, added);
      for (Table t : added) {
        err().println("tillstream: serving " + t.qualifiedName() + " (new)");
      }
    }
    return 0;
  }

  /**
   * Reads each table once, so that the first client's query does not pay for loading its Delta log and compiling
   * the read (9 s instead of 0.3 s for a count on the samples, docs/benchmarks.md).
   */
  private static void warmUp(SparkSession spark, Set<Table> tables) {
    for (Table t : tables) {
      spark.sql("SELECT count(*) FROM " + t.qualifiedName()).collectAsList();
    }
  }

  /**
   * The Spark settings that start the Connect server with the session: the plugin, its address and, when set,
   * the token every client must send. A non-loopback address without a token fails here, naming the fix.
   */
  static Map<String, String> connectSettings(Map<String, String> spark, String host, int port, String token) {
    boolean hasToken = token != null && !token.isBlank();
    if (!isLoopback(host) && !hasToken) {
      throw new ConfigError(ConfigKeys.SERVE_HOST.name() + "=" + host + " is not a loopback address: anyone who"
          + " reaches it could query the lake; set a token in " + SqlClient.TOKEN_ENV + " (clients send the same),"
          + " or bind to 127.0.0.1");
    }
    Map<String, String> settings = new TreeMap<>(spark);
    settings.merge("spark.plugins", CONNECT_PLUGIN, (given, ours) -> given + "," + ours);
    settings.put("spark.connect.grpc.binding.address", host);
    settings.put("spark.connect.grpc.binding.port", String.valueOf(port));
    if (hasToken) {
      settings.put("spark.connect.authenticate.token", token); // Spark redacts *token* keys in its UI and logs
    }
    return settings;
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ConfigError(ConfigKeys.SERVE_HOST.name() + "=" + host + ": unknown host; use an address of this"
          + " machine, e.g. 127.0.0.1");
    }
  }
}
