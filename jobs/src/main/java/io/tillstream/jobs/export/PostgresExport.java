package io.tillstream.jobs.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKeys;
import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Lake;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * Copies gold tables into PostgreSQL, incrementally and idempotently: a day (a value of the table's date column) is
 * written only when its fingerprint differs from the one recorded at the last export, and each day is replaced in
 * one transaction (delete, insert, record), so a reader sees the old day or the new one, never half of either.
 * Days gone from the lake within the range are deleted the same way.
 */
public final class PostgresExport {
  /** What one table's export did (daysWritten -1: the lake has no such table, nothing was touched). */
  public record TableResult(ExportedTable table, int daysWritten, int daysDeleted, int daysUnchanged,
      long rowsWritten) {
    @Override
    public String toString() {
      if (daysWritten < 0) {
        return table.pgName() + ": not in the lake, left as it is";
      }
      return table.pgName() + ": " + days(daysWritten) + " written (" + rowsWritten + " rows), " + daysDeleted
          + " deleted, " + daysUnchanged + " unchanged";
    }

    private static String days(int n) {
      return n + (n == 1 ? " day" : " days");
    }
  }

  private static final int BATCH = 1000;

  private final Lake lake;
  private final Connection pg;

  /** {@code pg} is an open connection; export manages its transactions. */
  public PostgresExport(Lake lake, Connection pg) {
    this.lake = lake;
    this.pg = pg;
  }

  /** The environment variable holding the database password (never a command line, a URL or a log). */
  public static final String PASSWORD_ENV = "TILLSTREAM_JDBC_PASSWORD";

  /** Exports {@code tables} over one connection to {@code url}; [from, to] bounds the days (null: unbounded). */
  public static List<TableResult> run(Lake lake, String url, Map<String, String> env, List<ExportedTable> tables,
      LocalDate from, LocalDate to) throws SQLException {
    try (Connection pg = connect(url, env)) {
      PostgresExport export = new PostgresExport(lake, pg);
      List<TableResult> results = new ArrayList<>();
      for (ExportedTable t : tables) {
        results.add(export.export(t, from, to));
      }
      return results;
    }
  }

  /** Opens {@code url} with the password from {@link #PASSWORD_ENV}; a password in the URL is refused. */
  static Connection connect(String url, Map<String, String> env) throws SQLException {
    if (url.toLowerCase(java.util.Locale.ROOT).matches(".*[?&;]password=.*")) {
      throw new ConfigError(ConfigKeys.EXPORT_JDBC_URL.name() + ": the JDBC URL holds a password; remove it and set"
          + " " + PASSWORD_ENV + " instead (a URL ends up in shell history, process lists and logs)");
    }
    Properties props = new Properties();
    String password = env.get(PASSWORD_ENV);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("reWriteBatchedInserts", "true");
    props.setProperty("ApplicationName", "tillstream-export");
    return new org.postgresql.Driver().connect(url, props);
  }

  /** Exports {@code table}'s days within [from, to] (null: unbounded) that changed since the last export. */
  public TableResult export(ExportedTable table, LocalDate from, LocalDate to) throws SQLException {
    PgTable shape = new PgTable(table);
    pg.setAutoCommit(false);
    try (Statement s = pg.createStatement()) {
      for (String ddl : shape.createStatements()) {
        s.execute(ddl);
      }
      ExportState.create(pg);
      pg.commit();
    }
    if (!lake.exists(table.table())) {
      return new TableResult(table, -1, 0, 0, 0); // a wrong --lake must not empty the database
    }
    // One snapshot for the fingerprints and the rows: a run committing meanwhile cannot split them.
    Dataset<Row> rows = DateRanges.filterBetween(lake.readVersion(table.table(), lake.version(table.table())), table.dateColumn(),
        from, to);
    Map<LocalDate, String> current = fingerprints(rows, table.dateColumn());
    Map<LocalDate, String> recorded = ExportState.recorded(pg, table, from, to);
    SortedSet<LocalDate> changed = new TreeSet<>();
    current.forEach((day, fp) -> {
      if (!fp.equals(recorded.get(day))) {
        changed.add(day);
      }
    });
    SortedSet<LocalDate> gone = new TreeSet<>(recorded.keySet());
    gone.removeAll(current.keySet());
    long written = changed.isEmpty() ? 0 : writeDays(shape, table, rows, changed, current);
    for (LocalDate day : gone) {
      try (PreparedStatement d = pg.prepareStatement(shape.deleteDay())) {
        d.setDate(1, Date.valueOf(day));
        d.executeUpdate();
      }
      ExportState.forget(pg, table, day);
      pg.commit();
    }
    return new TableResult(table, changed.size(), gone.size(), current.size() - changed.size(), written);
  }

  private static Map<LocalDate, String> fingerprints(Dataset<Row> rows, String dateColumn) {
    Map<LocalDate, String> days = new TreeMap<>();
    for (Row r : PartitionFingerprints.of(rows, dateColumn).collectAsList()) {
      days.put(r.getDate(0).toLocalDate(), r.getString(1));
    }
    return days;
  }

  /** Replaces each of {@code days}, in date order, one transaction per day; returns the rows inserted. */
  private long writeDays(PgTable shape, ExportedTable table, Dataset<Row> rows, SortedSet<LocalDate> days,
      Map<LocalDate, String> fingerprints) throws SQLException {
    StructField[] fields = rows.schema().fields();
    Column[] out = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      Column c = col("`" + fields[i].name() + "`");
      out[i] = PgTable.isNested(fields[i].dataType()) ? to_json(c).as(fields[i].name()) : c;
    }
    Column selected = col(table.dateColumn()).isin(days.stream().map(Date::valueOf).toArray());
    Iterator<Row> it = rows.filter(selected).select(out).orderBy(table.dateColumn()).toLocalIterator();
    int dateIndex = List.of(rows.columns()).indexOf(table.dateColumn());
    long total = 0;
    try (PreparedStatement delete = pg.prepareStatement(shape.deleteDay());
        PreparedStatement insert = pg.prepareStatement(shape.insert())) {
      LocalDate day = null;
      long dayRows = 0;
      while (it.hasNext()) {
        Row r = it.next();
        LocalDate rowDay = r.getDate(dateIndex).toLocalDate();
        if (!rowDay.equals(day)) {
          if (day != null) {
            finishDay(insert, table, day, fingerprints.get(day), dayRows);
          }
          day = rowDay;
          dayRows = 0;
          delete.setDate(1, Date.valueOf(day));
          delete.executeUpdate();
        }
        bind(insert, r);
        insert.addBatch();
        if (++dayRows % BATCH == 0) {
          insert.executeBatch();
        }
        total++;
      }
      if (day != null) {
        finishDay(insert, table, day, fingerprints.get(day), dayRows);
      }
    } catch (SQLException | RuntimeException e) {
      pg.rollback();
      throw e;
    }
    return total;
  }

  private void finishDay(PreparedStatement insert, ExportedTable table, LocalDate day, String fingerprint,
      long rows) throws SQLException {
    insert.executeBatch();
    ExportState.record(pg, table, Objects.requireNonNull(day), fingerprint, rows);
    pg.commit();
  }

  private static void bind(PreparedStatement insert, Row r) throws SQLException {
    for (int i = 0; i < r.size(); i++) {
      Object v = r.isNullAt(i) ? null : r.get(i);
      // TIMESTAMPTZ takes an instant; a java.sql.Timestamp would be read in the JVM's zone
      insert.setObject(i + 1, v instanceof Timestamp ts ? ts.toInstant().atOffset(ZoneOffset.UTC) : v);
    }
  }
}
