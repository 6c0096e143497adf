package io.tillstream.pipeline;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.tillstream.contract.EventSchemas;
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
 */
public final class DeduplicateEvents {

  public static Dataset<Row> apply(Dataset<Row> events, Dataset<Row> accepted, Map<String, Severity> severities) {
    Dataset<Row> candidates = events.filter(col("disposition").equalTo(ApplyQualityRules.ACCEPT));
    Dataset<Row> others = events.filter(col("disposition").notEqual(ApplyQualityRules.ACCEPT));

    Dataset<Row> history = accepted.select(col("event_id").as("h_event_id"), col("content_hash").as("h_hash"));
    Dataset<Row> withHistory = candidates.join(history, col("event_id").equalTo(col("h_event_id")), "left")
        .drop("h_event_id");

    WindowSpec bySourceOrder = Window.partitionBy("event_id").orderBy("source_file", "source_line");
    Column firstHash = first(col("content_hash")).over(bySourceOrder);
    Column firstSource = first(concat(col("source_file"), lit(":"), col("source_line"))).over(bySourceOrder);
    Column isFirst = row_number().over(bySourceOrder).equalTo(1);

    Column seenBefore = col("h_hash").isNotNull();
    Column identical = when(seenBefore, col("h_hash").equalTo(col("content_hash")))
        .otherwise(col("content_hash").equalTo(col("first_hash")));
    Column conflictDetail = when(seenBefore,
        concat(lit("event_id "), col("event_id"), lit(" was accepted earlier with different content")))
        .otherwise(concat(lit("event_id "), col("event_id"), lit(" is accepted from "), col("first_source"),
            lit(" with different content")));

    Dataset<Row> classified = withHistory
        .withColumn("first_hash", firstHash)
        .withColumn("first_source", firstSource)
        .withColumn("is_first", isFirst)
        .withColumn("dedup", when(col("h_hash").isNull().and(col("is_first")), lit("new"))
            .when(identical, lit("duplicate"))
            .otherwise(lit("conflict")))
        .withColumn("violations", when(col("dedup").equalTo("conflict"),
            concat(col("violations"), array(struct(lit(QualityRules.DUPLICATE_CONFLICT).as("rule"),
                conflictDetail.as("detail"))).cast(DataTypes.createArrayType(EventSchemas.ISSUE))))
            .otherwise(col("violations")));

    Dataset<Row> conflicts = ApplyQualityRules.withDisposition(
        classified.filter(col("dedup").equalTo("conflict")), severities);
    Dataset<Row> rest = classified.filter(col("dedup").notEqual("conflict"))
        .withColumn("disposition", when(col("dedup").equalTo("duplicate"), lit(ApplyQualityRules.DUPLICATE))
            .otherwise(col("disposition")));
    String[] helpers = {"h_hash", "first_hash", "first_source", "is_first", "dedup"};
    return others.unionByName(rest.drop(helpers)).unionByName(conflicts.drop(helpers));
  }

  private DeduplicateEvents() {}
}
