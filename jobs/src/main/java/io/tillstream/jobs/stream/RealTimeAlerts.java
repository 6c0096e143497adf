package io.tillstream.jobs.stream;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.tillstream.contract.EventSchemas;
import io.tillstream.gold.SuspiciousTransactions;
import io.tillstream.pipeline.BuildSalesLines;
import io.tillstream.pipeline.PipelineContext;
import io.tillstream.pipeline.SalesPipeline;
import io.tillstream.quality.Disposition;
import java.math.BigDecimal;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * large_order in Spark's real-time mode: each Kafka record runs through the row-local steps of the shared pipeline
 * (parse, enrich, quality rules) and an accepted sale whose own net amount reaches the threshold goes to the alert
 * topic as it arrives, with no micro-batch and no Delta commit in the way. Real-time mode allows only stateless,
 * map-like plans, so the net is the event's own (the sum of its lines exactly as silver computes them); an order
 * that reaches the threshold only over several sale events is alerted by the ingest query when it commits.
 */
final class RealTimeAlerts {

  /** The event's lines in the reporting currency, summed, each line exactly as silver has it. */
  static Column eventNet() {
    return aggregate(col("items"), lit(0).cast(EventSchemas.REPORTING_AMOUNT),
        (total, item) -> total.plus(BuildSalesLines.inReportingCurrency(item.getField("net")))
            .cast(EventSchemas.REPORTING_AMOUNT));
  }

  /** Alert rows (the columns of gold.suspicious_transactions) of the large accepted sales among {@code raw}. */
  static Dataset<Row> largeOrders(Dataset<Row> raw, PipelineContext ctx, BigDecimal minNet) {
    return SuspiciousTransactions.largeOrders(SalesPipeline.check(raw, ctx)
        .filter(col("disposition").equalTo(Disposition.ACCEPT.label()).and(col("event_type").equalTo("sale")))
        .withColumn("order_net", eventNet()), minNet);
  }

  /**
   * The rows of {@code fresh} (new suspicious transactions of a micro-batch) the real-time query has not sent:
   * every rule but large_order, and large_order of the events whose own net (from {@code silver}) is below
   * {@code minNet}, whose order reached it only with other events. Reads silver only on the days of those events.
   */
  static Dataset<Row> notSentInRealTime(Dataset<Row> fresh, Dataset<Row> silver, BigDecimal minNet) {
    Dataset<Row> large = fresh.filter(col("rule_id").equalTo(SuspiciousTransactions.LARGE_ORDER))
        .select("event_id", "business_date");
    List<String> dates = large.selectExpr("CAST(business_date AS STRING)").distinct()
        .as(Encoders.STRING()).collectAsList();
    if (dates.isEmpty()) {
      return fresh;
    }
    Dataset<Row> sent = silver.filter(col("business_date").isin(dates.stream().map(Date::valueOf).toArray()))
        .join(large, CollectionConverters.asScala(List.of("event_id", "business_date")).toSeq(),
            "left_semi")
        .groupBy("event_id").agg(sum("net_amount").as("event_net"))
        .filter(col("event_net").geq(lit(minNet)))
        .select(lit(SuspiciousTransactions.LARGE_ORDER).as("rule_id"), col("event_id"));
    return fresh.join(sent, CollectionConverters.asScala(List.of("rule_id", "event_id")).toSeq(), "left_anti");
  }

  private RealTimeAlerts() {}
}
