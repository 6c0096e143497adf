package io.tillstream.lake;

import io.delta.tables.DeltaOptimizeBuilder;
import io.delta.tables.DeltaTable;
import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKeys;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaConfig;
import org.apache.spark.sql.delta.DeltaConfigs;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.CalendarInterval;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Keeps a lake's tables fast while jobs write them: OPTIMIZE compacts the small files every micro-batch and
 * run leaves (optionally Z-ordered), VACUUM deletes the data files no version within the retention window
 * references any more. Both commit through {@link ConflictRetry}, so they give way to a concurrent writer
 * instead of failing it, and the writers ({@link Lake}) repeat a commit that lost to them.
 *
 * <p>The retention is at least one hour: VACUUM also deletes files no version references at all, and a running
 * job's freshly written files are such files until its commit. It becomes each table's
 * delta.deletedFileRetentionDuration, which Delta 4 uses for VACUUM and as the limit of time travel.
 */
public final class TableMaintenance {
  /** The columns Z-ordering clusters by, where a table has them, collects statistics on them and is not
   *  partitioned by them (Delta rejects partition columns; without statistics no file could be skipped). */
  public static final List<String> ZORDER_CANDIDATES = List.of("store_id", "sku");

  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  /** A number of files and their bytes. */
  public record Files(long count, long bytes) {}

  /** What maintaining one table did; {@code error} is null when it succeeded. */
  public record Report(Table table, Files liveBefore, Files liveAfter, long filesCompacted, long filesWritten,
      List<String> zorderBy, Files storedBefore, Files storedAfter, long vacuumed, int conflictsRetried,
      long optimizeMillis, long vacuumMillis, long millis, long version, List<String> notes, String error) {}

  private final Lake lake;
  private final Duration retention;
  private final int attempts;

  /** {@code attempts}: tries of one OPTIMIZE or VACUUM that conflicts with a concurrent commit. */
  public TableMaintenance(Lake lake, Duration retention, int attempts) {
    if (retention.compareTo(ConfigKeys.MIN_MAINTAIN_RETENTION) < 0) {
      throw new ConfigError("retention " + retention + " for " + ConfigKeys.MAINTAIN_RETENTION.name()
          + " is below 1h: it could delete files a running job has written but not yet committed");
    }
    this.lake = lake;
    this.retention = retention;
    this.attempts = attempts;
  }

  /**
   * OPTIMIZE (Z-ordered when {@code zorder}) and, when {@code vacuum}, VACUUM one existing table, with file
   * counts before and after. A failure (e.g. conflicts beyond the retries) is reported, not thrown.
   */
  public Report maintain(Table t, boolean zorder, boolean vacuum) {
    return maintain(t, zorder, vacuum, false);
  }

  /**
   * As above; with {@code relayout}, a table still partitioned by its date column (the layout before clustering)
   * is first rewritten clustered ({@link TableLayout#relayout}).
   */
  public Report maintain(Table t, boolean zorder, boolean vacuum, boolean relayout) {
    long start = System.nanoTime();
    ConflictRetry retry = new ConflictRetry(attempts);
    List<String> notes = new ArrayList<>();
    Row detail = detail(t);
    Files liveBefore = liveFiles(detail);
    Files storedBefore = storedFiles(t);
    long[] compaction = {0, 0};
    long vacuumed = 0;
    long optimizeMillis = 0;
    long vacuumMillis = 0;
    String error = null;
    List<String> zorderBy = List.of();
    try {
      if (!partitionColumns(detail).isEmpty()) {
        if (relayout) {
          retry.run(t.qualifiedName() + " relayout", () -> TableLayout.relayout(lake, t));
          notes.add("rewritten clustered by " + t.dateColumn() + " (was partitioned by "
              + String.join(",", partitionColumns(detail)) + ")");
          detail = detail(t);
        } else {
          notes.add("partitioned by " + String.join(",", partitionColumns(detail)) + ", the layout before "
              + "clustering: maintain --relayout rewrites it clustered by " + t.dateColumn());
        }
      }
      zorderBy = zorder ? zorderColumns(t, detail) : List.of();
      notes.addAll(keepHistory(t, properties(detail), retry));
      long optimizeStart = System.nanoTime();
      compaction = optimize(t, zorderBy, retry);
      optimizeMillis = (System.nanoTime() - optimizeStart) / 1_000_000;
      if (vacuum) {
        long vacuumStart = System.nanoTime();
        vacuumed = vacuum(t, retry);
        vacuumMillis = (System.nanoTime() - vacuumStart) / 1_000_000;
      }
    } catch (RuntimeException e) {
      error = e instanceof ConflictRetry.ConflictingWriteException ? e.getMessage() : e.toString();
    }
    if (retry.retried() > 0) {
      notes.add(retry.retried() + " conflicting commit(s) repeated");
    }
    return new Report(t, liveBefore, liveFiles(t), compaction[0], compaction[1], zorderBy, storedBefore,
        storedFiles(t), vacuumed, retry.retried(), optimizeMillis, vacuumMillis,
        (System.nanoTime() - start) / 1_000_000, lake.version(t), notes, error);
  }

  /** Files and bytes of the current version (DESCRIBE DETAIL). */
  public Files liveFiles(Table t) {
    return liveFiles(detail(t));
  }

  private static Files liveFiles(Row detail) {
    return new Files(detail.getAs("numFiles"), detail.getAs("sizeInBytes"));
  }

  /** Data files on storage, of any version or of none (the table folder without _delta_log). */
  public Files storedFiles(Table t) {
    long count = 0;
    long bytes = 0;
    for (Map.Entry<String, Long> f : listDataFiles(t).entrySet()) {
      count++;
      bytes += f.getValue();
    }
    return new Files(count, bytes);
  }

  /**
   * Compacts the table's small files, Z-ordered by {@code zorderBy} when it is not empty; returns the files
   * removed and added (0, 0 when there was nothing to compact).
   */
  public long[] optimize(Table t, List<String> zorderBy, ConflictRetry retry) {
    return retry.run(t.qualifiedName() + " OPTIMIZE", () -> {
      DeltaOptimizeBuilder optimize = table(t).optimize();
      Row result = (zorderBy.isEmpty() ? optimize.executeCompaction()
          : optimize.executeZOrderBy(zorderBy.toArray(new String[0]))).head();
      Row metrics = result.getAs("metrics");
      return new long[] {metrics.<Long>getAs("numFilesRemoved"), metrics.<Long>getAs("numFilesAdded")};
    });
  }

  /**
   * Deletes the data files no version of the last delta.deletedFileRetentionDuration references (set to the
   * retention by {@link #keepHistory}); returns how many. Delta 4.4 ignores a RETAIN argument
   * (spark.databricks.delta.vacuum.retentionWindowIgnore.enabled), so the table property is the retention.
   */
  public long vacuum(Table t, ConflictRetry retry) {
    Set<String> before = listDataFiles(t).keySet();
    // VACUUM lists the table folder with spark.sql.sources.parallelPartitionDiscovery.parallelism tasks: 10000
    // unless set, which costs half a minute on two cores for a few folders.
    boolean defaultListing = !lake.spark().conf().contains(LISTING_PARALLELISM);
    if (defaultListing) {
      lake.spark().conf().set(LISTING_PARALLELISM, lake.spark().conf().get("spark.sql.shuffle.partitions"));
    }
    try {
      // VACUUM prints "Deleted N files ..." to standard output, which belongs to the report.
      retry.run(t.qualifiedName() + " VACUUM", () -> scala.Console$.MODULE$.withOut(System.err,
          (scala.Function0<Object>) () -> table(t).vacuum()));
    } finally {
      if (defaultListing) {
        lake.spark().conf().unset(LISTING_PARALLELISM);
      }
    }
    Set<String> after = listDataFiles(t).keySet();
    return before.stream().filter(p -> !after.contains(p)).count();
  }

  /** The Z-order columns of {@link #ZORDER_CANDIDATES} this table can be clustered by. */
  public List<String> zorderColumns(Table t) {
    return zorderColumns(t, detail(t));
  }

  private List<String> zorderColumns(Table t, Row detail) {
    if (!CollectionConverters.asJava(detail.<scala.collection.Seq<String>>getAs("clusteringColumns")).isEmpty()) {
      return List.of(); // Delta rejects ZORDER BY on a clustered table: OPTIMIZE clusters it instead
    }
    Set<String> partitionColumns = new HashSet<>(partitionColumns(detail));
    Map<String, String> props = properties(detail);
    StructType schema = lake.read(t).schema();
    Set<String> withStats = columnsWithStatistics(schema, partitionColumns, props);
    List<String> out = new ArrayList<>();
    for (String c : ZORDER_CANDIDATES) {
      if (withStats.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Time travel within the retention needs the data files and the log. Delta keeps removed data files for
   * delta.deletedFileRetentionDuration (VACUUM's retention, and since Delta 4 also the limit of time travel)
   * and log entries for delta.logRetentionDuration: sets the first to the retention and raises the second to
   * it where shorter. Returns what was changed (usually nothing: a metadata change makes concurrent writers
   * repeat their commit).
   */
  List<String> keepHistory(Table t, Map<String, String> props, ConflictRetry retry) {
    Map<String, String> set = new LinkedHashMap<>();
    String window = "interval " + retention.toSeconds() + " seconds";
    if (millis(props, DeltaConfigs.TOMBSTONE_RETENTION()) != retention.toMillis()) {
      set.put(DeltaConfigs.TOMBSTONE_RETENTION().key(), window);
    }
    if (millis(props, DeltaConfigs.LOG_RETENTION()) < retention.toMillis()) {
      set.put(DeltaConfigs.LOG_RETENTION().key(), window);
    }
    if (set.isEmpty()) {
      return List.of();
    }
    String assignments = String.join(", ", set.entrySet().stream()
        .map(e -> "'" + e.getKey() + "' = '" + e.getValue() + "'").toList());
    retry.run(t.qualifiedName() + " SET TBLPROPERTIES", () -> lake.spark().sql("ALTER TABLE delta.`"
        + t.path(lake.root()).replace("`", "``") + "` SET TBLPROPERTIES (" + assignments + ")"));
    return set.entrySet().stream().map(e -> "set " + e.getKey() + " = " + e.getValue()).toList();
  }

  /** DESCRIBE DETAIL: numFiles, sizeInBytes, partitionColumns, properties, ... of the current version. */
  private Row detail(Table t) {
    return table(t).detail().head();
  }

  private static List<String> partitionColumns(Row detail) {
    return CollectionConverters.asJava(detail.<scala.collection.Seq<String>>getAs("partitionColumns"));
  }

  private static Map<String, String> properties(Row detail) {
    return CollectionConverters.asJava(detail.<scala.collection.Map<String, String>>getAs("properties"));
  }

  private static long millis(Map<String, String> props, DeltaConfig<CalendarInterval> c) {
    return DeltaConfigs.getMilliSeconds(DeltaConfigs.parseCalendarInterval(props.getOrDefault(c.key(),
        c.defaultValue())));
  }

  /**
   * Delta collects file statistics on delta.dataSkippingStatsColumns when set, else on the first
   * delta.dataSkippingNumIndexedCols leaf columns (default 32, -1 all) of the data columns.
   */
  static Set<String> columnsWithStatistics(StructType schema, Set<String> partitionColumns,
      Map<String, String> props) {
    Set<String> out = new HashSet<>();
    String explicit = props.get("delta.dataSkippingStatsColumns");
    if (explicit != null && !explicit.isBlank()) {
      for (String c : explicit.split(",")) {
        out.add(c.trim());
      }
      return out;
    }
    int indexed = Integer.parseInt(props.getOrDefault("delta.dataSkippingNumIndexedCols", "32"));
    int leaves = 0;
    for (StructField f : schema.fields()) {
      if (partitionColumns.contains(f.name())) {
        continue;
      }
      if (indexed < 0 || leaves < indexed) {
        out.add(f.name());
      }
      leaves += leafCount(f.dataType());
    }
    return out;
  }

  private static int leafCount(DataType type) {
    if (type instanceof StructType s) {
      int n = 0;
      for (StructField f : s.fields()) {
        n += leafCount(f.dataType());
      }
      return n;
    }
    return 1;
  }

  /**
   * Data file path -> length, without descending into _delta_log or any other hidden (_ or .) folder: jobs
   * create and delete temporary files there while we list.
   */
  private Map<String, Long> listDataFiles(Table t) {
    Map<String, Long> files = new LinkedHashMap<>();
    Path root = new Path(t.path(lake.root()));
    try {
      FileSystem fs = root.getFileSystem(lake.spark().sparkContext().hadoopConfiguration());
      list(fs, root, "", files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return files;
  }

  private static void list(FileSystem fs, Path dir, String prefix, Map<String, Long> files) throws IOException {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return; // an empty partition folder VACUUM just deleted
    }
    for (FileStatus f : entries) {
      String name = f.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (f.isDirectory()) {
        list(fs, f.getPath(), prefix + name + "/", files);
      } else {
        files.put(prefix + name, f.getLen());
      }
    }
  }

  private DeltaTable table(Table t) {
    return DeltaTable.forPath(lake.spark(), t.path(lake.root()));
  }
}
