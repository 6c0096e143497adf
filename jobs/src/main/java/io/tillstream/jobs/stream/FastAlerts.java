package io.tillstream.jobs.stream;

import io.tillstream.dims.CurrentDimensions;
import io.tillstream.gold.SuspiciousRules;
import io.tillstream.gold.SuspiciousTransactions;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.pipeline.SalesPipeline;
import io.tillstream.privacy.PiiKey;
import io.tillstream.run.PipelineContexts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The stateless alert path: a second query on the Kafka topic that runs the row-local steps of the shared
 * pipeline (parse, enrich, quality rules) and the large_order rule on each micro-batch and sends what fires, with
 * no Delta commit in the way. It sees one micro-batch at a time and no duplicates history, so an order split
 * over several micro-batches is left to the ingest query, and a re-sent event can alert twice (same alert_id).
 */
final class FastAlerts implements VoidFunction2<Dataset<Row>, Long> {
  private static final LocalDate ANY_FROM = LocalDate.of(1900, 1, 1);
  private static final LocalDate ANY_TO = LocalDate.of(9999, 12, 31);
  private final StreamSettings settings;
  private final CurrentDimensions dims;
  private final PiiKey key;
  private final AlertTopic alerts;

  FastAlerts(StreamSettings settings, CurrentDimensions dims, PiiKey key, AlertTopic alerts) {
    this.settings = settings;
    this.dims = dims;
    this.key = key;
    this.alerts = alerts;
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    // The set the ingest query last loaded: checking the files here too would slow this tight loop.
    PipelineContext ctx = PipelineContexts.build(batch.sparkSession(), settings.config(), dims.inUse().dims(), key,
        Instant.now(), null, null);
    Dataset<Row> lines = SalesPipeline.salesLines(SalesPipeline.check(MicroBatchIngest.kafkaRecords(batch), ctx),
        ctx);
    alerts.send(SuspiciousTransactions.compute(lines, largeOrderOnly(), ANY_FROM, ANY_TO));
  }

  private SuspiciousRules largeOrderOnly() {
    return new SuspiciousRules(true, settings.config().largeOrderMinNet(), false, 1, Duration.ZERO, false, 1,
        Duration.ZERO);
  }
}
