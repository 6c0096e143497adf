package io.tillstream.lake;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * How a table is laid out on storage: unpartitioned, liquid-clustered by its {@link Table#dateColumn() date column},
 * with file statistics only on the columns queries filter by. Partitioning by business date wrote one folder and
 * file per date and table (a four-year history of a few rows a day: ~11,000 files, minutes of file handling); with
 * clustering the same history is a few files, and a filter on the date still skips the files that cannot match.
 */
public final class TableLayout {
  /** Columns readers filter by besides the date: statistics on them let a filter skip files. */
  static final List<String> FILTERED_COLUMNS = List.of("store_id", "sku");

  static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  static final String CHANGE_FEED = "delta.enableChangeDataFeed";

  /**
   * Tables whose change feed is kept: gold.customer_totals adds silver's new lines from it. Silver is written by
   * insert-only MERGEs, for which Delta writes no extra change files (the feed is read from the added files).
   */
  static final Set<Table> WITH_CHANGE_FEED = Set.of(Table.SILVER_SALES_LINES);

  /**
   * Creates {@code t} at {@code path} holding {@code rows} in one commit (CREATE TABLE ... CLUSTER BY ... AS
   * SELECT). Returns false, writing nothing, when a concurrent writer created the table first.
   */
  static boolean createWith(SparkSession spark, Table t, String path, Dataset<Row> rows) {
    String view = "tillstream_create_" + java.util.UUID.randomUUID().toString().replace("-", "");
    StringBuilder properties = new StringBuilder("'" + STATS_COLUMNS + "' = '"
        + String.join(",", statsColumns(t, rows.schema())) + "'");
    if (WITH_CHANGE_FEED.contains(t)) {
      properties.append(", '").append(CHANGE_FEED).append("' = 'true'");
    }
    // DataFrameWriterV2.clusterBy is refused for path tables by Delta 4.4's catalog; the SQL form is not.
    // A process killed inside this statement leaves data files and no commit; Delta then takes the folder for an
    // existing table and refuses to create it. Files no commit names are not part of any table (VACUUM removes
    // them), so the creation replaces them; a concurrent creator that committed first makes this commit conflict.
    Runnable create = () -> {
      rows.createOrReplaceTempView(view);
      try {
        spark.sql((hasUncommittedFiles(spark, path) ? "CREATE OR REPLACE TABLE" : "CREATE TABLE") + " delta.`"
            + path.replace("`", "``") + "` USING delta CLUSTER BY (" + t.dateColumn() + ") TBLPROPERTIES ("
            + properties + ") AS SELECT * FROM " + view);
      } finally {
        spark.catalog().dropTempView(view);
      }
    };
    try {
      create.run();
      return true;
    } catch (Exception e) { // TableAlreadyExistsException is checked and undeclared
      if (Lake.hasCommits(spark, path)) {
        return false;
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** Whether {@code path} holds files but no Delta table: what a creation that never committed leaves. */
  private static boolean hasUncommittedFiles(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p) && fs.listStatus(p).length > 0 && !Lake.hasCommits(spark, path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list table folder " + path, e);
    }
  }

  /**
   * Turns on the change feed of {@code t} (one of {@link #WITH_CHANGE_FEED}) if a lake written before kept none;
   * returns false when it was off, i.e. the feed holds no changes before the table's current version.
   */
  public static boolean ensureChangeFeed(Lake lake, Table t) {
    String path = t.path(lake.root());
    if ("true".equals(lake.snapshot(t).metadata().configuration().get(CHANGE_FEED).getOrElse(() -> "false"))) {
      return true;
    }
    lake.spark().sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` SET TBLPROPERTIES ('" + CHANGE_FEED
        + "' = 'true')");
    return false;
  }

  /** The date column, then whichever of {@link #FILTERED_COLUMNS} the table has. */
  static List<String> statsColumns(Table t, StructType schema) {
    Set<String> names = Set.of(schema.fieldNames());
    List<String> out = new ArrayList<>(List.of(t.dateColumn()));
    FILTERED_COLUMNS.stream().filter(names::contains).forEach(out::add);
    return out;
  }

  /** True when {@code t} was written in the layout before this one (partitioned by its date column). */
  public static boolean isPartitioned(Lake lake, Table t) {
    return !DeltaTable.forPath(lake.spark(), t.path(lake.root())).detail().head()
        .<scala.collection.Seq<String>>getAs("partitionColumns").isEmpty();
  }

  /**
   * Rewrites a partitioned table in this layout as a new version of the same table: same rows, history kept (time
   * travel to the partitioned versions still works). Returns false when there was nothing to do.
   */
  public static boolean relayout(Lake lake, Table t) {
    if (!lake.exists(t) || !isPartitioned(lake, t)) {
      return false;
    }
    SparkSession spark = lake.spark();
    String path = t.path(lake.root());
    var rows = lake.read(t);
    rows.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(path);
    String quoted = "delta.`" + path.replace("`", "``") + "`";
    spark.sql("ALTER TABLE " + quoted + " SET TBLPROPERTIES ('" + STATS_COLUMNS + "' = '"
        + String.join(",", statsColumns(t, rows.schema())) + "')");
    spark.sql("ALTER TABLE " + quoted + " CLUSTER BY (" + t.dateColumn() + ")");
    return true;
  }

  private TableLayout() {}
}
