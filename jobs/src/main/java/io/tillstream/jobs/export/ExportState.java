package io.tillstream.jobs.export;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * What export last copied, kept in PostgreSQL beside the data (tillstream.export_state): one fingerprint per table
 * and date value, written in the same transaction as that day's rows, so the record and the data never disagree.
 */
final class ExportState {
  static final String TABLE = "tillstream.export_state";

  static void create(Connection pg) throws SQLException {
    try (Statement s = pg.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS tillstream");
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (table_name TEXT NOT NULL, day DATE NOT NULL,"
          + " fingerprint TEXT NOT NULL, rows BIGINT NOT NULL, exported_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
          + " PRIMARY KEY (table_name, day))");
    }
  }

  /** The fingerprints recorded for {@code table}, by day, within [from, to] (null: unbounded). */
  static Map<LocalDate, String> recorded(Connection pg, ExportedTable table, LocalDate from, LocalDate to)
      throws SQLException {
    Map<LocalDate, String> days = new TreeMap<>();
    try (PreparedStatement q = pg.prepareStatement("SELECT day, fingerprint FROM " + TABLE + " WHERE table_name = ?"
        + " AND day >= COALESCE(?, day) AND day <= COALESCE(?, day)")) {
      q.setString(1, table.pgName());
      q.setObject(2, from == null ? null : Date.valueOf(from), java.sql.Types.DATE);
      q.setObject(3, to == null ? null : Date.valueOf(to), java.sql.Types.DATE);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          days.put(r.getDate(1).toLocalDate(), r.getString(2));
        }
      }
    }
    return days;
  }

  static void record(Connection pg, ExportedTable table, LocalDate day, String fingerprint, long rows)
      throws SQLException {
    try (PreparedStatement u = pg.prepareStatement("INSERT INTO " + TABLE + " (table_name, day, fingerprint, rows)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (table_name, day) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,"
        + " rows = EXCLUDED.rows, exported_at = now()")) {
      u.setString(1, table.pgName());
      u.setDate(2, Date.valueOf(day));
      u.setString(3, fingerprint);
      u.setLong(4, rows);
      u.executeUpdate();
    }
  }

  static void forget(Connection pg, ExportedTable table, LocalDate day) throws SQLException {
    try (PreparedStatement d = pg.prepareStatement("DELETE FROM " + TABLE + " WHERE table_name = ? AND day = ?")) {
      d.setString(1, table.pgName());
      d.setDate(2, Date.valueOf(day));
      d.executeUpdate();
    }
  }

  private ExportState() {}
}
