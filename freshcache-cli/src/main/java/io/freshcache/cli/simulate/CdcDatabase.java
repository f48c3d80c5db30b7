package io.freshcache.cli.simulate;

import io.freshcache.jdbc.pg.PrivatePostgres;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The PostgreSQL the change-capture scenario runs on: the user's ({@code --jdbc}, which must have
 * {@code wal_level = logical}), or a private cluster started from the installed server binaries and
 * removed at the end. Either way, one clear line when it cannot be had.
 */
final class CdcDatabase implements AutoCloseable {

  /** Why there is no database for the scenario, as one line naming the fix. */
  static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  private final String url;
  private final String describe;
  private final PrivatePostgres cluster;

  private CdcDatabase(String url, String describe, PrivatePostgres cluster) {
    this.url = url;
    this.describe = describe;
    this.cluster = cluster;
  }

  static CdcDatabase open(String jdbc, PrintWriter err, boolean chatty) throws Unavailable {
    if (jdbc != null) {
      if (!jdbc.startsWith("jdbc:postgresql:")) {
        throw new Unavailable(
            "--scenarios cdc needs PostgreSQL, and --jdbc is "
                + SimulateCommand.redacted(jdbc)
                + ": give a jdbc:postgresql:// URL, or leave --jdbc out to start a private"
                + " PostgreSQL from the installed server binaries");
      }
      String walLevel;
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("show wal_level")) {
        rs.next();
        walLevel = rs.getString(1);
      } catch (SQLException e) {
        throw new Unavailable(
            "cannot reach the database at "
                + SimulateCommand.redacted(jdbc)
                + ": "
                + e.getMessage()
                + "; check the URL and that the server runs");
      }
      if (!walLevel.equals("logical")) {
        throw new Unavailable(
            "the database at "
                + SimulateCommand.redacted(jdbc)
                + " has wal_level '"
                + walLevel
                + "', and change capture needs 'logical': set wal_level = logical in its"
                + " postgresql.conf and restart it, or leave --jdbc out to start a private"
                + " PostgreSQL from the installed server binaries");
      }
      return new CdcDatabase(jdbc, SimulateCommand.redacted(jdbc), null);
    }
    if (chatty) {
      err.println(
          "starting a private PostgreSQL (wal_level = logical) from the installed binaries");
      err.flush();
    }
    PrivatePostgres cluster;
    try {
      cluster = PrivatePostgres.start(Map.of());
    } catch (IllegalStateException e) {
      throw new Unavailable(
          "--scenarios cdc needs PostgreSQL with wal_level = logical, and no private one could be"
              + " started: "
              + e.getMessage()
              + "; or give --jdbc jdbc:postgresql://host:port/db?user=... of a server with"
              + " wal_level = logical");
    }
    return new CdcDatabase(
        cluster.newDatabase("fcsim"), "a private PostgreSQL cluster, removed afterwards", cluster);
  }

  String url() {
    return url;
  }

  String describe() {
    return describe;
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
