package io.tillstream.jobs.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DecimalType;

/**
 * A fingerprint of each value of a table's date column: its row count and the sum of its rows' hashes. Equal
 * fingerprints mean the day's rows are the same whatever order or files they sit in, so export skips it.
 */
public final class PartitionFingerprints {
  /** Columns {@code day} (the date column's value) and {@code fingerprint} ("rows:hashsum"), one row per day. */
  public static Dataset<Row> of(Dataset<Row> rows, String dateColumn) {
    Column[] all = Arrays.stream(rows.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    return rows.groupBy(col(dateColumn).as("day"))
        .agg(count(lit(1)).as("rows"), sum(xxhash64(all).cast(DecimalType.apply(38, 0))).as("hash_sum"))
        .select(col("day"), concat_ws(":", col("rows").cast("string"), col("hash_sum").cast("string"))
            .as("fingerprint"));
  }

  private PartitionFingerprints() {}
}
