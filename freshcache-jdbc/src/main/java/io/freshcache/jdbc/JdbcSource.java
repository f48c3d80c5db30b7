package io.freshcache.jdbc;

import io.freshcache.Source;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A {@link Source} that loads from SQL: one query for a key, and one query for many keys.
 *
 * <pre>{@code
 * Source<Long, Product> products =
 *     JdbcSource.<Long, Product>builder(dataSource)
 *         .byKey("select id, name, category_id from products where id = ?")
 *         .byKeys("select id, name, category_id from products where id = any(?)", "bigint")
 *         .key(row -> row.getLong("id"))
 *         .row(row -> new Product(row.getLong("id"), row.getString("name"), row.getInt("category_id")))
 *         .build();
 * }</pre>
 *
 * <p>Each load takes a connection of its own from the data source, in auto-commit, and never the
 * connection of a {@link JdbcTransaction} open on the loading thread: a cache must hold only
 * committed values. A key with no row fails its load with a {@link NoSuchElementException}, unless
 * {@link Builder#absent} gives the value that stands for "no row". A key with several rows fails
 * too: the query does not identify one value.
 *
 * <p>Thread-safe and immutable.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class JdbcSource<K, V> implements Source<K, V> {

  /** The most keys one {@code IN (...)} query binds; more keys take several queries. */
  public static final int MAX_IN_KEYS = 1_000;

  private final DataSource dataSource;
  private final String byKey;
  private final String byKeys;
  private final String arrayType;
  private final String byKeysIn;
  private final RowMapper<? extends K> keyOf;
  private final RowMapper<? extends V> rowOf;
  private final Function<? super K, ? extends V> absent;

  private JdbcSource(Builder<K, V> b) {
    this.dataSource = b.dataSource;
    this.byKey = b.byKey;
    this.byKeys = b.byKeys;
    this.arrayType = b.arrayType;
    this.byKeysIn = b.byKeysIn;
    this.keyOf = b.keyOf;
    this.rowOf = b.rowOf;
    this.absent = b.absent;
  }

  /** Starts a builder reading from {@code dataSource} (a connection pool, e.g. HikariCP's). */
  public static <K, V> Builder<K, V> builder(DataSource dataSource) {
    return new Builder<>(dataSource);
  }

  @Override
  public V load(K key) throws SQLException {
    Objects.requireNonNull(key, "key");
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(byKey)) {
      s.setObject(1, key);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return missing(key);
        }
        V value = rowOf.map(rs);
        if (rs.next()) {
          throw new IllegalStateException(
              "key "
                  + key
                  + " has several rows for \""
                  + byKey
                  + "\": the query must identify one");
        }
        return value;
      }
    }
  }

  /**
   * Loads every key in one query ({@code = any(?)}), or in queries of at most {@link #MAX_IN_KEYS}
   * keys ({@code in (?)}); without either query, one {@link #load} per key. A key without a row is
   * left out of the result (its lookup fails) unless {@link Builder#absent} gives its value.
   */
  @Override
  public Map<K, V> loadAll(Set<? extends K> keys) throws SQLException {
    if (keys.isEmpty()) {
      return Map.of();
    }
    Map<K, V> found = new LinkedHashMap<>();
    if (byKeys != null) {
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement(byKeys)) {
        Array array = c.createArrayOf(arrayType, keys.toArray());
        s.setArray(1, array);
        read(s, found);
        array.free();
      }
    } else if (byKeysIn != null) {
      List<K> all = new ArrayList<>(keys);
      try (Connection c = dataSource.getConnection()) {
        for (int from = 0; from < all.size(); from += MAX_IN_KEYS) {
          List<K> chunk = all.subList(from, Math.min(all.size(), from + MAX_IN_KEYS));
          String sql = byKeysIn.replace("(?)", "(" + "?,".repeat(chunk.size() - 1) + "?)");
          try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < chunk.size(); i++) {
              s.setObject(i + 1, chunk.get(i));
            }
            read(s, found);
          }
        }
      }
    } else {
      for (K key : keys) {
        try {
          found.put(key, load(key));
        } catch (NoSuchElementException e) {
          // left out: its lookup fails
        }
      }
      return found;
    }
    Map<K, V> result = new LinkedHashMap<>();
    for (K key : keys) {
      V value = found.get(key);
      if (value == null && absent != null) {
        value = absent.apply(key);
      }
      if (value != null) {
        result.put(key, value);
      }
    }
    return result;
  }

  private void read(PreparedStatement s, Map<K, V> into) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        K key = keyOf.map(rs);
        if (into.put(key, rowOf.map(rs)) != null) {
          throw new IllegalStateException(
              "key " + key + " has several rows: the query must identify one per key");
        }
      }
    }
  }

  private V missing(K key) {
    if (absent != null) {
      return absent.apply(key);
    }
    throw new NoSuchElementException("no row for key " + key + " (" + byKey + ")");
  }

  /**
   * Configures a {@link JdbcSource}. Each setting may be given once; {@link #byKey} and {@link
   * #row} are required, and {@link #key} when a many-key query is given.
   */
  public static final class Builder<K, V> {
    private final DataSource dataSource;
    private String byKey;
    private String byKeys;
    private String arrayType;
    private String byKeysIn;
    private RowMapper<? extends K> keyOf;
    private RowMapper<? extends V> rowOf;
    private Function<? super K, ? extends V> absent;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
    }

    /** The query for one key, its one parameter the key ({@code ... where id = ?}). */
    public Builder<K, V> byKey(String sql) {
      once(byKey, "byKey");
      byKey = requireParameters(sql, 1, "byKey");
      return this;
    }

    /**
     * The query for many keys, its one parameter an array of them ({@code ... where id = any(?)}):
     * {@code arrayType} is the SQL type of the array's elements ({@code bigint}, {@code text},
     * {@code uuid}), as {@link Connection#createArrayOf} takes it.
     */
    public Builder<K, V> byKeys(String sql, String arrayType) {
      once(byKeys == null ? byKeysIn : byKeys, "the many-key query");
      byKeys = requireParameters(sql, 1, "byKeys");
      this.arrayType = Objects.requireNonNull(arrayType, "arrayType must not be null");
      return this;
    }

    /**
     * The query for many keys written with {@code in (?)}, for a database without arrays: the one
     * {@code (?)} is expanded to as many parameters as keys, at most {@link #MAX_IN_KEYS} per
     * query.
     */
    public Builder<K, V> byKeysIn(String sql) {
      once(byKeys == null ? byKeysIn : byKeys, "the many-key query");
      requireParameters(sql, 1, "byKeysIn");
      if (!sql.contains("(?)")) {
        throw new IllegalArgumentException(
            "byKeysIn needs the keys' place written \"(?)\", e.g. \"... where id in (?)\": " + sql);
      }
      byKeysIn = sql;
      return this;
    }

    /** Reads a row's key, for the many-key query. */
    public Builder<K, V> key(RowMapper<? extends K> keyOf) {
      once(this.keyOf, "key");
      this.keyOf = Objects.requireNonNull(keyOf, "key must not be null");
      return this;
    }

    /** Reads a row's value. */
    public Builder<K, V> row(RowMapper<? extends V> rowOf) {
      once(this.rowOf, "row");
      this.rowOf = Objects.requireNonNull(rowOf, "row must not be null");
      return this;
    }

    /** The value for a key without a row (an empty {@code Optional}, a sentinel); not null. */
    public Builder<K, V> absent(Function<? super K, ? extends V> absent) {
      once(this.absent, "absent");
      this.absent = Objects.requireNonNull(absent, "absent must not be null");
      return this;
    }

    public JdbcSource<K, V> build() {
      if (byKey == null || rowOf == null) {
        throw new IllegalStateException(
            "a JdbcSource needs .byKey(sql) and .row(mapper): the query for one key and how a row"
                + " becomes a value");
      }
      if ((byKeys != null || byKeysIn != null) && keyOf == null) {
        throw new IllegalStateException(
            "a many-key query needs .key(mapper) to tell which key each row answers");
      }
      return new JdbcSource<>(this);
    }

    private static String requireParameters(String sql, int wanted, String what) {
      Objects.requireNonNull(sql, () -> what + " must not be null");
      long marks = sql.chars().filter(ch -> ch == '?').count();
      if (marks != wanted) {
        throw new IllegalArgumentException(
            what
                + " takes a query with exactly "
                + wanted
                + " parameter (?), found "
                + marks
                + ": "
                + sql);
      }
      return sql;
    }

    private static void once(Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " was already set");
      }
    }
  }
}
