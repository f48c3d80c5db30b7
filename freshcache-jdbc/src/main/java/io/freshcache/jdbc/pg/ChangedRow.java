package io.freshcache.jdbc.pg;

import java.math.BigDecimal;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row as a committed INSERT or UPDATE left it, handed to a {@link TableMapping#value} function:
 * its columns by name, in PostgreSQL's text form (the form {@code psql} prints: {@code 42}, {@code
 * 9.90}, {@code t}, {@code 2024-06-01 12:00:00+00}).
 *
 * <p>A column whose value the change stream did not carry (an unchanged TOASTed value of a table
 * whose replica identity is not FULL) cannot be read: the accessor throws, and the capture then
 * invalidates the row's keys instead of writing a value.
 */
public final class ChangedRow {

  /** Thrown by an accessor for a column the change stream did not carry. */
  static final class NotCarried extends NoSuchElementException {
    NotCarried(String column) {
      super("the change did not carry column '" + column + "'");
    }
  }

  private final String table;
  private final Map<String, String> columns; // SQL NULL as null; not carried as NOT_CARRIED

  static final String NOT_CARRIED = new String("<not carried>");

  ChangedRow(String table, Map<String, String> columns) {
    this.table = table;
    this.columns = columns;
  }

  /** The table, schema-qualified ({@code public.products}). */
  public String table() {
    return table;
  }

  /** The row's column names. */
  public Set<String> columns() {
    return columns.keySet();
  }

  /**
   * The column's value in text form, or {@code null} if it is SQL NULL.
   *
   * @throws IllegalArgumentException if the table has no such column
   * @throws NoSuchElementException if the change did not carry the column's value
   */
  public String text(String column) {
    if (!columns.containsKey(column)) {
      throw new IllegalArgumentException(
          "table " + table + " has no column '" + column + "'; its columns are " + columns());
    }
    String v = columns.get(column);
    if (v == NOT_CARRIED) {
      throw new NotCarried(column);
    }
    return v;
  }

  /** Whether the column is SQL NULL. */
  public boolean isNull(String column) {
    return text(column) == null;
  }

  /** An integer column ({@code smallint}, {@code int}, {@code bigint}); null if SQL NULL. */
  public Long number(String column) {
    String v = text(column);
    return v == null ? null : Long.parseLong(v);
  }

  /** A {@code numeric}, {@code real} or {@code double precision} column; null if SQL NULL. */
  public BigDecimal decimal(String column) {
    String v = text(column);
    return v == null ? null : new BigDecimal(v);
  }

  /** A {@code boolean} column; null if SQL NULL. */
  public Boolean bool(String column) {
    String v = text(column);
    return v == null ? null : v.equals("t") || v.equals("true");
  }

  @Override
  public String toString() {
    return "ChangedRow[" + table + ", columns " + columns() + "]";
  }
}
