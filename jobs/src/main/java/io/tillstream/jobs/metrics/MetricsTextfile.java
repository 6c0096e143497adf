package io.tillstream.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.run.RunRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.sql.Row;

/**
 * How a short-lived run (batch, daily, backfill, replay-quarantine, maintain) hands its metrics to Prometheus:
 * node_exporter's textfile collector. Each run replaces {@code <metrics.textfile-dir>/tillstream_<job>.prom}
 * atomically with its own figures, the job's last success and the lake's table sizes; node_exporter serves the
 * file until the next run of that job replaces it. Off when the key is empty; a failure here never fails the run.
 */
public final class MetricsTextfile {

  /** Writes {@code run}'s metrics file, when metrics.textfile-dir is set. Returns the file, or null. */
  public static Path handOver(TillstreamConfig config, Lake lake, RunRecord run) {
    String dir = config.get(ConfigKeys.METRICS_TEXTFILE_DIR);
    if (dir.isBlank()) {
      return null;
    }
    try {
      PipelineMetrics metrics = new PipelineMetrics();
      metrics.recordRun(run, config.severities());
      if (!"SUCCEEDED".equals(run.status())) {
        lastSuccess(lake, run.job(), metrics);
      }
      TableGauges.measure(lake, metrics);
      return write(Path.of(dir), run.job(), metrics.text());
    } catch (RuntimeException | IOException e) {
      LogManager.getLogger(MetricsTextfile.class).warn("metrics of run " + run.runId() + " not written to " + dir
          + " (" + ConfigKeys.METRICS_TEXTFILE_DIR.name() + ")", e);
      return null;
    }
  }

  /** Replaces {@code dir/tillstream_<job>.prom}: written beside it, then renamed, so a scrape never reads half. */
  static Path write(Path dir, String job, String text) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve("tillstream_" + job + ".prom");
    Path partial = dir.resolve(".tillstream_" + job + ".prom.partial");
    Files.writeString(partial, text, StandardCharsets.UTF_8);
    return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void lastSuccess(Lake lake, String job, PipelineMetrics metrics) {
    if (!lake.exists(Table.OPS_RUNS)) {
      return;
    }
    Row last = lake.read(Table.OPS_RUNS).filter(col("job").equalTo(job).and(col("status").equalTo("SUCCEEDED")))
        .agg(max("finished_at")).head();
    if (!last.isNullAt(0)) {
      metrics.lastSuccess(job, last.getTimestamp(0).toInstant());
    }
  }

  private MetricsTextfile() {}
}
