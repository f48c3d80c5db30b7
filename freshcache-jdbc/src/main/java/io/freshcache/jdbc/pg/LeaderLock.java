package io.freshcache.jdbc.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Who consumes a slot, across the fleet: a PostgreSQL session-level advisory lock named after the
 * slot, held on an ordinary connection. The server releases it when the session ends, so a process
 * that dies (its socket closes) frees it at once. A holder that goes silent without closing (a
 * machine gone, a long pause) loses it after the lease: the holder's session runs with {@code
 * idle_session_timeout} set to the lease and pings well inside it, so the server ends a session
 * that stopped pinging (PostgreSQL 14 and later; before that, the server's TCP keepalive settings
 * bound it). The pings run on a thread of their own, so a holder busy connecting or publishing
 * keeps its lease; only a holder that is really silent loses it.
 */
final class LeaderLock implements AutoCloseable {

  /** The advisory lock's first key: "FCdc", so our locks do not collide with an application's. */
  private static final int LOCK_SPACE = 0x46436463;

  private final Connection connection;
  private final String slot;
  private final Duration lease;
  private final int serverVersion;
  private volatile boolean held;
  private volatile SQLException lost;
  private volatile boolean closed;
  private Thread keeper;

  private LeaderLock(Connection connection, String slot, Duration lease) throws SQLException {
    this.connection = connection;
    this.slot = slot;
    this.lease = lease;
    this.serverVersion = Integer.parseInt(StartupCheck.one(connection, "show server_version_num"));
  }

  static LeaderLock open(Connection connection, String slot, Duration lease) throws SQLException {
    try {
      return new LeaderLock(connection, slot, lease);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** Takes the lock if it is free; true if this session holds it. */
  boolean tryAcquire() throws SQLException {
    if (held) {
      return true;
    }
    try (PreparedStatement s =
        connection.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
      s.setInt(1, LOCK_SPACE);
      s.setString(2, slot);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        held = rs.getBoolean(1);
      }
    }
    if (held) {
      if (serverVersion >= 140000) {
        try (Statement s = connection.createStatement()) {
          s.execute("set idle_session_timeout = " + lease.toMillis());
        }
      }
      keeper = new Thread(this::keep, "freshcache-cdc-lease-" + slot);
      keeper.setDaemon(true);
      keeper.start();
    }
    return held;
  }

  /** Pings the session within the lease until closed or the session is gone. */
  private void keep() {
    long every = pingInterval().toNanos();
    while (!closed) {
      try {
        ping();
      } catch (SQLException e) {
        lost = e;
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(every);
    }
  }

  /** Throws if the session holding the lock is gone: this instance no longer holds the slot. */
  void check() throws SQLException {
    SQLException e = lost;
    if (e != null) {
      throw new SQLException("the session holding the slot's lock ended: " + e.getMessage(), e);
    }
  }

  /** Proves the session (and with it the lock) is still alive; throws if it is not. */
  void ping() throws SQLException {
    check();
    try (Statement s = connection.createStatement()) {
      s.setQueryTimeout((int) Math.max(1, lease.toSeconds()));
      s.execute("select 1");
    }
  }

  /** The process id of the session holding the lock's slot on the server, for takeover. */
  Connection connection() {
    return connection;
  }

  /** How often the holder must ping to keep its lease. */
  Duration pingInterval() {
    return lease.dividedBy(4);
  }

  @Override
  public void close() {
    closed = true;
    if (keeper != null) {
      java.util.concurrent.locks.LockSupport.unpark(keeper);
    }
    try {
      connection.close(); // ends the session: the server releases the lock
    } catch (SQLException ignored) {
      // the session is gone either way
    }
  }
}
