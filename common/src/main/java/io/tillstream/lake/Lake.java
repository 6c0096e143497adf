package io.tillstream.lake;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Reads and writes the lake's Delta tables by their {@link Table} name. Every write returns the new version and
 * is repeated when it loses a commit race to a concurrent writer (e.g. {@code maintain}'s OPTIMIZE): all writes
 * are idempotent, and under {@link #idempotently} a repeated commit still carries the transaction id.
 */
public final class Lake {
  /** Tries of one write that conflicts with concurrent commits (back-off from 0.25 s, doubling: 4-6 s in all). */
  public static final int WRITE_ATTEMPTS = 5;

  private final SparkSession spark;
  private final String root;
  private final ConflictRetry writes = new ConflictRetry(WRITE_ATTEMPTS);

  public Lake(SparkSession spark, String root) {
    this.spark = spark;
    this.root = qualify(spark, root);
  }

  /** An absolute URI (file:/..., hdfs://..., s3a://...), so the catalog and every executor read the same place. */
  private static String qualify(SparkSession spark, String root) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new io.tillstream.config.ConfigError("cannot resolve lake location " + root + ": " + e.getMessage());
    }
  }

  public String root() {
    return root;
  }

  public SparkSession spark() {
    return spark;
  }

  /**
   * Whether the table has a committed version, as the log says now. {@code DeltaTable.isDeltaTable} alone answers
   * from this JVM's cached snapshot: a table another process created after this JVM first saw its then empty
   * {@code _delta_log} stayed "no table" here for good (a comparison once found a stream's daily sales missing).
   */
  public boolean exists(Table t) {
    return hasCommits(spark, t.path(root));
  }

  /** See {@link #exists}. */
  static boolean hasCommits(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path) || latestSnapshot(spark, path).version() >= 0;
  }

  public Dataset<Row> read(Table t) {
    return spark.read().format("delta").load(t.path(root));
  }

  /** The table as it was at {@code version} (Delta time travel). */
  public Dataset<Row> readVersion(Table t, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(t.path(root));
  }

  /**
   * Runs {@code writes} so that a repeat of them commits nothing twice: every Delta commit in it records
   * {@code (appId, version)} in its commit's user metadata, and when {@code mayRepeat} a write to a table whose recent
   * history already holds a commit so marked is skipped (a replayed micro-batch rewrites nothing it had written
   * before a crash). A caller that knows this (appId, version) was never attempted before passes
   * {@code mayRepeat = false} and pays nothing for the check. Each table must be written at most once inside
   * {@code writes}. Cheaper than Delta's own transaction ids ({@code txnAppId}), which rebuild the snapshot's
   * state on every commit to look the id up (docs/benchmarks.md, "What a Delta commit costs").
   */
  public <T> T idempotently(String appId, long version, boolean mayRepeat, java.util.function.Supplier<T> writes) {
    String previous = spark.conf().getOption(USER_METADATA).getOrElse(() -> null);
    commitMark = COMMIT_MARK_PREFIX + appId + ":" + version;
    checkRepeats = mayRepeat;
    spark.conf().set(USER_METADATA, commitMark);
    try {
      return writes.get();
    } finally {
      commitMark = null;
      checkRepeats = false;
      restore(USER_METADATA, previous);
    }
  }

  /** {@link #idempotently(String, long, boolean, java.util.function.Supplier)}, checking every write. */
  public <T> T idempotently(String appId, long version, java.util.function.Supplier<T> writes) {
    return idempotently(appId, version, true, writes);
  }

  private static final String COMMIT_MARK_PREFIX = "tillstream-commit:";
  /** How far back a table's history is searched for a repeated commit: concurrent maintenance commits interleave. */
  private static final int REPEAT_SEARCH_COMMITS = 100;
  private String commitMark;
  private boolean checkRepeats;

  /** True when a repeat check is on and {@code t} already holds a commit under the current mark. */
  private boolean alreadyCommitted(Table t) {
    if (commitMark == null || !checkRepeats || !exists(t)) {
      return false;
    }
    return !DeltaTable.forPath(spark, t.path(root)).history(REPEAT_SEARCH_COMMITS)
        .filter(org.apache.spark.sql.functions.col("userMetadata").equalTo(commitMark)).isEmpty();
  }

  private void restore(String key, String previous) {
    if (previous == null) {
      spark.conf().unset(key);
    } else {
      spark.conf().set(key, previous);
    }
  }

  /** Inserts the rows whose key is not in the table yet (idempotent); {@code targetFilter} prunes the target. */
  public long insertNew(Table t, Dataset<Row> rows, List<String> keys, String targetFilter) {
    return write(t, "merge", rows, conformed -> {
      String on = keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
      if (targetFilter != null) {
        on = "(" + targetFilter + ") AND " + on;
      }
      DeltaTable.forPath(spark, t.path(root)).as("t").merge(conformed.as("s"), on).whenNotMatched().insertAll()
          .execute();
    });
  }

  /**
   * Opens a transaction on existing table {@code t}: {@link ReadThenAppend#read} reads the version it started from,
   * and {@link ReadThenAppend#append} commits rows decided against that read only when no other writer changed the
   * table's data since (Delta's own conflict check, the whole table counted as read). The insert a duplicate check
   * decides, without the join of a MERGE.
   */
  public ReadThenAppend readThenAppend(Table t) {
    return new ReadThenAppend(t, org.apache.spark.sql.delta.DeltaLog.forTable(spark, t.path(root))
        .startTransaction());
  }

  /** See {@link #readThenAppend}. */
  public final class ReadThenAppend {
    private final Table table;
    private final org.apache.spark.sql.delta.OptimisticTransaction txn;

    private ReadThenAppend(Table table, org.apache.spark.sql.delta.OptimisticTransaction txn) {
      this.table = table;
      this.txn = txn;
    }

    /** The table as the transaction read it. */
    public Dataset<Row> read() {
      return readVersion(table, txn.readVersion());
    }

    /**
     * Appends {@code rows} (conformed to the declared schema) and returns the new version; throws Delta's
     * {@code DeltaConcurrentModificationException} when another writer changed the table's data after {@link #read}:
     * nothing is written then, and the caller decides again.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public long append(Dataset<Row> rows) {
      if (alreadyCommitted(table)) {
        return version(table);
      }
      txn.readWholeTable();
      scala.collection.immutable.Seq files = txn.writeFiles(table.conform(rows));
      scala.Option none = scala.Option.empty();
      return txn.commit(files, new org.apache.spark.sql.delta.DeltaOperations.Write(SaveMode.Append, none, none, none,
          none, none, none, none, none));
    }
  }

  /**
   * Updates the rows of {@code t} that match {@code rows} on {@code keys}: each entry of {@code clauses} is a MERGE
   * condition (over {@code t.} and {@code s.}) with its assignments (column -> SQL expression), tried in order.
   * Rows without a match are left alone, nothing is inserted. {@code targetFilter} prunes the target.
   */
  public long updateMatched(Table t, Dataset<Row> rows, List<String> keys, String targetFilter,
      java.util.LinkedHashMap<String, java.util.Map<String, String>> clauses) {
    if (alreadyCommitted(t)) {
      return version(t);
    }
    return writes.run(t.qualifiedName() + " merge update", () -> {
      String on = keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
      if (targetFilter != null) {
        on = "(" + targetFilter + ") AND " + on;
      }
      io.delta.tables.DeltaMergeBuilder merge = DeltaTable.forPath(spark, t.path(root)).as("t").merge(rows.as("s"), on);
      for (java.util.Map.Entry<String, java.util.Map<String, String>> c : clauses.entrySet()) {
        merge = merge.whenMatched(c.getKey()).updateExpr(c.getValue());
      }
      merge.execute();
      return version(t);
    });
  }

  /**
   * Adds the declared columns ({@link Table#schema}) that {@code t} lacks (as nullable; older rows read null), so a
   * table written by an older release accepts rows with them. Not under {@link #idempotently}'s commit mark.
   */
  public void addMissingColumns(Table t) {
    if (!exists(t)) {
      return;
    }
    writes.run(t.qualifiedName() + " add columns", () -> {
      java.util.Set<String> present = java.util.Set.of(read(t).columns());
      String missing = java.util.Arrays.stream(t.schema().fields()).filter(f -> !present.contains(f.name()))
          .map(f -> "`" + f.name() + "` " + f.dataType().sql()).collect(Collectors.joining(", "));
      if (missing.isEmpty()) {
        return null;
      }
      // Not under the caller's commit mark: this metadata commit must not make its own write look done already.
      String mark = spark.conf().getOption(USER_METADATA).getOrElse(() -> null);
      spark.conf().unset(USER_METADATA);
      try {
        spark.sql("ALTER TABLE delta.`" + t.path(root) + "` ADD COLUMNS (" + missing + ")");
      } finally {
        restore(USER_METADATA, mark);
      }
      return null;
    });
  }

  /** Replaces the rows matching {@code predicate} (a SQL filter on the table's date column) by {@code rows}. */
  public long replaceWhere(Table t, Dataset<Row> rows, String predicate) {
    return write(t, "replaceWhere", rows, conformed -> conformed.write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", predicate).save(t.path(root)));
  }

  /**
   * Replaces every row of {@code t} by {@code rows}. Written as {@code replaceWhere 'true'}: a plain overwrite drops
   * the table's clustering columns (Delta 4.4), this keeps the layout.
   */
  public long overwrite(Table t, Dataset<Row> rows) {
    return write(t, "overwrite", rows, conformed -> overwriteAll(conformed).save(t.path(root)));
  }

  private static org.apache.spark.sql.DataFrameWriter<Row> overwriteAll(Dataset<Row> rows) {
    return rows.write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", "true");
  }

  /**
   * Overwrites {@code t} with {@code rows}, recording {@code userMetadata} in the commit (Delta's commit user
   * metadata, read back with {@link #lastUserMetadata}).
   */
  public long overwrite(Table t, Dataset<Row> rows, String userMetadata) {
    String previous = spark.conf().getOption(USER_METADATA).getOrElse(() -> null);
    spark.conf().set(USER_METADATA, userMetadata);
    try {
      return overwrite(t, rows);
    } finally {
      restore(USER_METADATA, previous);
    }
  }

  private static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

  /**
   * The user metadata of the latest of {@code t}'s last {@code commits} commits that recorded one starting with
   * {@code prefix} (maintenance commits in between record none), or null.
   */
  public String lastUserMetadata(Table t, String prefix, int commits) {
    if (!exists(t)) {
      return null;
    }
    List<Row> found = DeltaTable.forPath(spark, t.path(root)).history(commits)
        .filter(org.apache.spark.sql.functions.col("userMetadata").startsWith(prefix))
        .orderBy(org.apache.spark.sql.functions.col("version").desc()).select("userMetadata").limit(1)
        .collectAsList();
    return found.isEmpty() ? null : found.get(0).getString(0);
  }

  public long append(Table t, Dataset<Row> rows) {
    return write(t, "append", rows, conformed -> conformed.write().format("delta").mode(SaveMode.Append)
        .save(t.path(root)));
  }

  /** Appends, adding the columns the table does not have yet (Delta schema evolution; older rows read null). */
  public long appendMergingSchema(Table t, Dataset<Row> rows) {
    return write(t, "append", rows, conformed ->
        conformed.write().format("delta").mode(SaveMode.Append).option("mergeSchema", "true").save(t.path(root)));
  }

  /**
   * One write of {@code t} under the conflict retries, returning the new version: {@code rows} conformed to the
   * table's declared schema ({@link Table#conform}), then {@code toExisting} when the table exists, else one commit
   * that creates it in {@link TableLayout}'s layout holding them (CREATE TABLE ... AS SELECT: the declared schema
   * and the first rows in one commit rather than two).
   */
  private long write(Table t, String what, Dataset<Row> rows, java.util.function.Consumer<Dataset<Row>> toExisting) {
    if (alreadyCommitted(t)) {
      return version(t);
    }
    Dataset<Row> conformed = t.conform(rows);
    return writes.run(t.qualifiedName() + " " + what, () -> {
      if (exists(t) || !TableLayout.createWith(spark, t, t.path(root), conformed)) {
        toExisting.accept(conformed);
      }
      return version(t);
    });
  }

  /** The table's latest version, read from its log directory (no Spark job). */
  public long version(Table t) {
    return snapshot(t).version();
  }

  /** A table's latest version, its live data files and their bytes. */
  public record Size(long version, long files, long bytes) {}

  /** The table's latest version and live files, from Delta's log. */
  public Size size(Table t) {
    org.apache.spark.sql.delta.Snapshot s = snapshot(t);
    return new Size(s.version(), s.numOfFiles(), s.sizeInBytes());
  }

  /** The table's latest snapshot (Delta's log, listed afresh: commits by other writers are seen). */
  org.apache.spark.sql.delta.Snapshot snapshot(Table t) {
    return latestSnapshot(spark, t.path(root));
  }

  private static org.apache.spark.sql.delta.Snapshot latestSnapshot(SparkSession spark, String path) {
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path)
        .update(false, scala.Option.empty(), scala.Option.empty());
  }

  /** Copies a table as plain partitioned Parquet under {@code <lake>/published}, for readers without Delta. */
  public void publishParquet(Table t) {
    read(t).write().mode(SaveMode.Overwrite).partitionBy(t.dateColumn()).parquet(t.publishedPath(root));
  }

  /** Registers every existing table under its public name (bronze.sales_events, ...) in the session catalog. */
  public void registerTables() {
    registerTables(java.util.EnumSet.allOf(Table.class));
  }

  /**
   * Registers the tables that exist in this lake but not yet in the session catalog, leaving the registered ones
   * alone (a long-lived server picks up tables a later run creates). Returns the ones it registered.
   */
  public java.util.Set<Table> registerNewTables() {
    java.util.Set<Table> added = java.util.EnumSet.noneOf(Table.class);
    for (Table t : Table.values()) {
      if (!spark.catalog().tableExists(t.qualifiedName()) && exists(t)) {
        register(t);
        added.add(t);
      }
    }
    return added;
  }

  /**
   * Registers those of {@code tables} that exist in this lake (each one reads Delta's log, so a query registers
   * what it names) and forgets every other table name: a long-lived session may hold another lake's. The names are
   * external tables (LOCATION), so dropping one forgets the name and never touches data.
   */
  public void registerTables(java.util.Set<Table> tables) {
    for (Table t : Table.values()) {
      if (spark.catalog().databaseExists(t.layer())) {
        spark.sql("DROP TABLE IF EXISTS " + t.qualifiedName());
      }
      if (tables.contains(t) && exists(t)) {
        register(t);
      }
    }
  }

  private void register(Table t) {
    if (!spark.catalog().databaseExists(t.layer())) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + t.layer());
    }
    spark.sql("CREATE TABLE " + t.qualifiedName() + " USING delta LOCATION '" + t.path(root).replace("'", "\\'")
        + "'");
  }
}
