package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.tillstream.contract.EventSchemas;
import io.tillstream.quality.Disposition;
import io.tillstream.quality.QualityRules;
import io.tillstream.quality.Severity;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * An event_id is accepted once. Among the events still to accept, one whose id was accepted earlier (in
 * {@code accepted}: event_id, content_hash) or earlier in this input (by source order) becomes a duplicate when
 * its content is identical, and a duplicate_conflict violation when it differs.
 *
 * <p>The decision is taken on a narrow projection (ids and hashes), and only the few records that are not new
 * are joined back, so the wide records are never shuffled.
 */
public final class DeduplicateEvents {

  /**
   * The records to accept that are not new: (d_record_id, identical, conflict_detail). Narrow and usually small;
   * materialize it before {@link #apply} so the join back can be a broadcast.
   */
  public static Dataset<Row> decide(Dataset<Row> events, Dataset<Row> accepted) {
    Dataset<Row> candidates = events.filter(col("disposition").equalTo(Disposition.ACCEPT.label()))
        .select("record_id", "event_id", "content_hash", "source_file", "source_line");
    Dataset<Row> history = accepted.select(col("event_id").as("h_event_id"), col("content_hash").as("h_hash"));
    WindowSpec bySourceOrder = Window.partitionBy("event_id").orderBy("source_file", "source_line");
    Column seenBefore = col("h_hash").isNotNull();
    return candidates
        .join(history, col("event_id").equalTo(col("h_event_id")), "left")
        .withColumn("first_hash", first(col("content_hash")).over(bySourceOrder))
        .withColumn("first_source", first(concat(col("source_file"), lit(":"), col("source_line"))).over(bySourceOrder))
        .withColumn("is_first", row_number().over(bySourceOrder).equalTo(1))
        .filter(seenBefore.or(col("is_first").unary_$bang()))
        .withColumn("identical", when(seenBefore, col("h_hash").equalTo(col("content_hash")))
            .otherwise(col("content_hash").equalTo(col("first_hash"))))
        .select(col("record_id").as("d_record_id"), col("identical"),
            when(seenBefore, concat(lit("event_id "), col("event_id"),
                lit(" was accepted earlier with different content")))
                .otherwise(concat(lit("event_id "), col("event_id"), lit(" is accepted from "), col("first_source"),
                    lit(" with different content"))).as("conflict_detail"))
        // One decision per record even when history holds an event id twice (two writers racing on one lake can
        // both accept versions of an event into different business dates): otherwise the join back would count
        // the record twice and the run could never reconcile.
        .groupBy("d_record_id").agg(max("identical").as("identical"), min("conflict_detail").as("conflict_detail"));
  }

  /** Marks duplicates and adds duplicate_conflict violations, from the decisions of {@link #decide}. */
  public static Dataset<Row> apply(Dataset<Row> events, Dataset<Row> decisions, Map<String, Severity> severities) {
    Dataset<Row> marked = events.join(decisions, col("record_id").equalTo(col("d_record_id")), "left")
        .withColumn("prior_disposition", col("disposition"));
    Column conflict = coalesce(col("identical").unary_$bang(), lit(false));
    Dataset<Row> withViolation = marked.withColumn("violations", when(conflict,
        concat(col("violations"), array(struct(lit(QualityRules.DUPLICATE_CONFLICT).as("rule"),
            col("conflict_detail").as("detail"))).cast(DataTypes.createArrayType(EventSchemas.ISSUE))))
        .otherwise(col("violations")));
    return ApplyQualityRules.withDisposition(withViolation, severities)
        .withColumn("disposition", when(col("identical"), Disposition.DUPLICATE.lit())
            .when(conflict, col("disposition"))
            .otherwise(col("prior_disposition")))
        .drop("d_record_id", "identical", "conflict_detail", "prior_disposition");
  }

  private DeduplicateEvents() {}
}
