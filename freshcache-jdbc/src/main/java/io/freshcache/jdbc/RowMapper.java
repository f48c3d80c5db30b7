package io.freshcache.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads one value from the current row of a result set. Must not move the cursor.
 *
 * @param <T> what a row becomes
 */
@FunctionalInterface
public interface RowMapper<T> {

  T map(ResultSet row) throws SQLException;
}
