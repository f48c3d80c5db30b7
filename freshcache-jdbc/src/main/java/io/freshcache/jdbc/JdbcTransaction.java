package io.freshcache.jdbc;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.event.Invalidation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A plain JDBC transaction with cache work attached: invalidations that take effect after its
 * commit and not at all on rollback, and write-through puts that join it. Made by {@link
 * JdbcTransactions#begin()}; bound to the thread that began it until {@link #commit()}, {@link
 * #rollback()} or {@link #close()} (which rolls back what was not committed).
 *
 * <p>After {@link #commit()} returns, every invalidation registered here has been applied on this
 * instance and sent to the others, so this instance never serves the old value again. If the commit
 * itself fails, its outcome is unknown (the connection may have dropped after the server
 * committed): the invalidations are applied anyway, since an extra miss costs less than a stale
 * value, and the failure is thrown.
 *
 * <p>Not thread-safe: used by the thread that began it.
 */
public final class JdbcTransaction implements AutoCloseable {

  private static final ThreadLocal<JdbcTransaction> CURRENT = new ThreadLocal<>();

  private final DataSource dataSource;
  private final Connection connection;
  private final boolean autoCommitBefore;
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final List<Runnable> afterEnd = new ArrayList<>();
  private Object announced;
  private boolean ended;

  private JdbcTransaction(DataSource dataSource, Connection connection) throws SQLException {
    this.dataSource = dataSource;
    this.connection = connection;
    this.autoCommitBefore = connection.getAutoCommit();
    connection.setAutoCommit(false);
  }

  static JdbcTransaction begin(DataSource dataSource, Connection connection) throws SQLException {
    JdbcTransaction tx = new JdbcTransaction(dataSource, connection);
    CURRENT.set(tx);
    return tx;
  }

  /** The transaction open on this thread, or null. */
  static JdbcTransaction current() {
    return CURRENT.get();
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** The transaction's connection, for the application's own statements. Do not commit it. */
  public Connection connection() {
    requireOpen();
    return connection;
  }

  /** Runs {@code action} once the commit returned; never on rollback. In registration order. */
  public void afterCommit(Runnable action) {
    requireOpen();
    afterCommit.add(Objects.requireNonNull(action, "action must not be null"));
  }

  /** Applies {@code invalidation} to {@code group} (every instance) once the commit returned. */
  public void invalidateAfterCommit(CacheGroup group, Invalidation invalidation) {
    Objects.requireNonNull(group, "group must not be null");
    Objects.requireNonNull(invalidation, "invalidation must not be null");
    afterCommit(() -> group.invalidate(invalidation));
  }

  /** Invalidates {@code key} in {@code cache} (every instance) once the commit returned. */
  public <K> void invalidateAfterCommit(FreshCache<K, ?> cache, K key) {
    Objects.requireNonNull(cache, "cache must not be null");
    Objects.requireNonNull(key, "key must not be null");
    afterCommit(() -> cache.invalidate(key));
  }

  /**
   * Puts a value through a cache whose {@link io.freshcache.Writes#through} writer is a {@link
   * JdbcWriter} on this transaction's data source: the row is written in this transaction, the
   * cache holds the value at once on this instance (other threads here see it before the commit),
   * and when the transaction ends — committed or rolled back — the key is invalidated everywhere,
   * so no instance keeps a value that was rolled back, nor one loaded before the commit.
   */
  public <K, V> void put(FreshCache<K, V> cache, K key, V value) {
    requireOpen();
    Objects.requireNonNull(cache, "cache must not be null");
    Objects.requireNonNull(key, "key must not be null");
    afterEnd.add(() -> cache.invalidate(key));
    announced = key;
    try {
      cache.put(key, value);
    } finally {
      announced = null;
    }
  }

  /** Whether {@link #put} announced this key for the writer about to run. */
  boolean announced(Object key) {
    return announced != null && announced.equals(key);
  }

  /** Commits, then runs what was registered to follow the commit. */
  public void commit() throws SQLException {
    requireOpen();
    SQLException failure = null;
    try {
      connection.commit();
    } catch (SQLException e) {
      failure = e;
    }
    end(true, failure);
  }

  /** Rolls back; nothing registered after commit runs. */
  public void rollback() throws SQLException {
    requireOpen();
    SQLException failure = null;
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure = e;
    }
    end(false, failure);
  }

  /** Rolls back unless committed or rolled back already, and returns the connection. */
  @Override
  public void close() throws SQLException {
    if (!ended) {
      rollback();
    }
  }

  private void end(boolean committed, SQLException failure) throws SQLException {
    ended = true;
    CURRENT.remove();
    RuntimeException actionFailure = null;
    List<Runnable> actions = new ArrayList<>(afterEnd);
    if (committed) {
      actions.addAll(afterCommit);
    }
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        if (actionFailure == null) {
          actionFailure = e;
        } else {
          actionFailure.addSuppressed(e);
        }
      }
    }
    try {
      connection.setAutoCommit(autoCommitBefore);
    } catch (SQLException e) {
      if (failure == null) {
        failure = e;
      }
    } finally {
      try {
        connection.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      if (actionFailure != null) {
        failure.addSuppressed(actionFailure);
      }
      throw failure;
    }
    if (actionFailure != null) {
      throw actionFailure;
    }
  }

  private void requireOpen() {
    if (ended) {
      throw new IllegalStateException("the transaction has ended (committed or rolled back)");
    }
  }
}
