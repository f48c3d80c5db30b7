package io.freshcache.jdbc;

import io.freshcache.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link Writer} that writes with one SQL statement, for {@link io.freshcache.Writes}: {@code
 * through} and {@code around} write each value as it is put; {@code behind} flushes batches as JDBC
 * batches, one transaction per batch.
 *
 * <pre>{@code
 * JdbcWriter<Long, Product> writer =
 *     JdbcWriter.<Long, Product>builder(dataSource)
 *         .sql("insert into products (id, name, category_id) values (?, ?, ?)"
 *             + " on conflict (id) do update set name = excluded.name,"
 *             + " category_id = excluded.category_id")
 *         .bind((s, id, p) -> {
 *           s.setLong(1, id);
 *           s.setString(2, p.name());
 *           s.setInt(3, p.categoryId());
 *         })
 *         .build();
 * }</pre>
 *
 * <p>The statement must be idempotent (an upsert): a batch that fails is retried whole. A single
 * write runs in the caller's transaction when the caller has a {@link JdbcTransaction} open on the
 * same data source and put the value through {@link JdbcTransaction#put}; a put straight on the
 * cache inside such a transaction is refused (the cache would keep a value the transaction may roll
 * back), and otherwise each write commits on a connection of its own.
 *
 * <p>Thread-safe and immutable.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class JdbcWriter<K, V> implements Writer<K, V> {

  private final DataSource dataSource;
  private final String sql;
  private final StatementBinder<? super K, ? super V> binder;

  private JdbcWriter(DataSource dataSource, String sql, StatementBinder<? super K, ? super V> b) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.binder = b;
  }

  /** Starts a builder writing to {@code dataSource}. */
  public static <K, V> Builder<K, V> builder(DataSource dataSource) {
    return new Builder<>(dataSource);
  }

  @Override
  public void write(K key, V value) throws SQLException {
    JdbcTransaction tx = JdbcTransaction.current();
    if (tx != null && tx.dataSource() == dataSource) {
      if (!tx.announced(key)) {
        throw new IllegalStateException(
            "a put of key "
                + key
                + " inside a JdbcTransaction went straight to the cache: use tx.put(cache, key,"
                + " value), so that a rollback also drops the cached value; nothing was written");
      }
      try (PreparedStatement s = tx.connection().prepareStatement(sql)) {
        binder.bind(s, key, value);
        s.executeUpdate();
      }
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      binder.bind(s, key, value);
      s.executeUpdate();
    }
  }

  /** Writes the batch as one JDBC batch in one transaction of its own: all of it or none. */
  @Override
  public void writeAll(Map<K, V> batch) throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (Map.Entry<K, V> e : batch.entrySet()) {
          binder.bind(s, e.getKey(), e.getValue());
          s.addBatch();
        }
        s.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  /** Configures a {@link JdbcWriter}; {@link #sql} and {@link #bind} are required, once each. */
  public static final class Builder<K, V> {
    private final DataSource dataSource;
    private String sql;
    private StatementBinder<? super K, ? super V> binder;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
    }

    /** The statement that writes one key's value (an upsert). */
    public Builder<K, V> sql(String sql) {
      if (this.sql != null) {
        throw new IllegalStateException("sql was already set to " + this.sql);
      }
      this.sql = Objects.requireNonNull(sql, "sql must not be null");
      return this;
    }

    /** Sets the statement's parameters from a key and its value. */
    public Builder<K, V> bind(StatementBinder<? super K, ? super V> binder) {
      if (this.binder != null) {
        throw new IllegalStateException("bind was already set");
      }
      this.binder = Objects.requireNonNull(binder, "binder must not be null");
      return this;
    }

    public JdbcWriter<K, V> build() {
      if (sql == null || binder == null) {
        throw new IllegalStateException(
            "a JdbcWriter needs .sql(statement) and .bind(binder): what to run and how a value"
                + " fills it");
      }
      return new JdbcWriter<>(dataSource, sql, binder);
    }
  }
}
