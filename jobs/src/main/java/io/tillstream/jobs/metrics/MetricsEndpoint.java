package io.tillstream.jobs.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import java.io.IOException;
import java.io.PrintStream;

/** The stream's {@code /metrics} endpoint for Prometheus, on metrics.host:metrics.port (0: none). */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /** Starts serving {@code metrics} and prints the address; fails naming the key when the port is taken. */
  public static MetricsEndpoint start(TillstreamConfig config, PipelineMetrics metrics, PrintStream err) {
    int port = config.get(ConfigKeys.METRICS_PORT);
    if (port == 0) {
      return new MetricsEndpoint(null);
    }
    String host = config.get(ConfigKeys.METRICS_HOST);
    try {
      HTTPServer server = HTTPServer.builder().hostname(host).port(port).registry(metrics.registry())
          .buildAndStart();
      err.println("tillstream: metrics at http://" + host + ":" + server.getPort() + "/metrics");
      return new MetricsEndpoint(server);
    } catch (IOException e) {
      throw new ConfigError(ConfigKeys.METRICS_PORT.name() + "=" + port + ": cannot serve metrics on " + host + ":"
          + port + " (" + e.getMessage() + "); set " + ConfigKeys.METRICS_PORT.name() + " to a free port, or 0 for"
          + " no endpoint");
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
