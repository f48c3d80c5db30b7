package io.freshcache.bench.fleet;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The source of truth: a table of rows in a PostgreSQL schema of the run's own, each row a key and
 * its version. A write moves a row to its next version in one statement; a load reads it. Each
 * thread has its own connection. {@link #slowBy} makes every load wait first (the slow-source
 * fault).
 */
final class Rows implements AutoCloseable {

  private final String url;
  private final String table;
  private final List<Connection> opened = new ArrayList<>();
  private final ThreadLocal<Connection> connection = ThreadLocal.withInitial(this::connect);
  private volatile long slowNanos;

  Rows(String url, String schema) {
    this.url = url;
    this.table = schema + ".rows";
  }

  /** Creates the schema and its rows, all at version 0, dropping what a run of the name left. */
  static void create(String url, String schema, int keys) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
      s.execute("CREATE TABLE " + schema + ".rows (id int PRIMARY KEY, version bigint NOT NULL)");
      s.execute(
          "INSERT INTO "
              + schema
              + ".rows SELECT g, 0 FROM generate_series(0, "
              + (keys - 1)
              + ") g");
    }
  }

  static void drop(String url, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private Connection connect() {
    try {
      Connection c = DriverManager.getConnection(url);
      synchronized (opened) {
        opened.add(c);
      }
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to " + url + ": " + e.getMessage(), e);
    }
  }

  void slowBy(long millis) {
    slowNanos = millis * 1_000_000L;
  }

  /** The row's current version. */
  long load(int id) throws SQLException {
    long slow = slowNanos;
    if (slow > 0) {
      LockSupport.parkNanos(slow);
    }
    try (PreparedStatement p =
        connection.get().prepareStatement("SELECT version FROM " + table + " WHERE id = ?")) {
      p.setInt(1, id);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          throw new IllegalStateException("no row " + id + " in " + table);
        }
        return r.getLong(1);
      }
    }
  }

  /** Moves the row to its next version (committed when this returns) and returns it. */
  long advance(int id) throws SQLException {
    try (PreparedStatement p =
        connection
            .get()
            .prepareStatement(
                "UPDATE " + table + " SET version = version + 1 WHERE id = ? RETURNING version")) {
      p.setInt(1, id);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  @Override
  public void close() {
    synchronized (opened) {
      for (Connection c : opened) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
    }
  }
}
