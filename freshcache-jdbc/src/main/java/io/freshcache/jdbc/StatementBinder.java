package io.freshcache.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Sets a statement's parameters from a key and its value, for {@link JdbcWriter}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface StatementBinder<K, V> {

  void bind(PreparedStatement statement, K key, V value) throws SQLException;
}
