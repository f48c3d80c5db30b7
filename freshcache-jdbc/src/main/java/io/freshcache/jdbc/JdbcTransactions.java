package io.freshcache.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Opens {@link JdbcTransaction}s on a data source: plain JDBC transactions whose cache work —
 * invalidations, write-through puts — takes effect after the commit, and not at all on rollback.
 *
 * <pre>{@code
 * JdbcTransactions transactions = JdbcTransactions.of(dataSource);
 * transactions.inTransaction(tx -> {
 *   try (PreparedStatement s = tx.connection().prepareStatement(
 *       "update products set price = ? where id = ?")) {
 *     s.setBigDecimal(1, price);
 *     s.setLong(2, 42L);
 *     s.executeUpdate();
 *   }
 *   tx.invalidateAfterCommit(products, 42L);   // applied once the commit returned
 *   return null;
 * });
 * }</pre>
 *
 * <p>A transaction is bound to the thread that began it until it ends; one at a time per thread.
 * Thread-safe.
 */
public final class JdbcTransactions {

  /** The work of one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(JdbcTransaction tx) throws Exception;
  }

  private final DataSource dataSource;

  private JdbcTransactions(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
  }

  /** Transactions on {@code dataSource} (a pool, e.g. HikariCP's). */
  public static JdbcTransactions of(DataSource dataSource) {
    return new JdbcTransactions(dataSource);
  }

  /**
   * Takes a connection and begins a transaction on it, bound to this thread.
   *
   * @throws IllegalStateException if this thread already has a transaction open
   */
  public JdbcTransaction begin() throws SQLException {
    JdbcTransaction open = JdbcTransaction.current();
    if (open != null) {
      throw new IllegalStateException(
          "this thread already has a JdbcTransaction open: commit or close it first, or do this"
              + " work in it (nested transactions are not supported)");
    }
    Connection c = dataSource.getConnection();
    try {
      return JdbcTransaction.begin(dataSource, c);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Runs {@code work} in a transaction: commits if it returns, rolls back if it throws (and
   * rethrows: a checked exception other than {@link SQLException} wrapped in an {@link
   * IllegalStateException}).
   */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    try (JdbcTransaction tx = begin()) {
      T result;
      try {
        result = work.run(tx);
      } catch (SQLException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("the transaction's work failed: " + e, e);
      }
      tx.commit();
      return result;
    }
  }
}
