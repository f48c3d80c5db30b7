package io.freshcache.cli.simulate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The source of truth of the domain workload: one table per kind of row ({@code users}, {@code
 * preferences}, {@code permissions}, {@code products}, {@code prices}, {@code inventory}, {@code
 * reports}) in a schema of its own, in an embedded in-memory H2 database or, given a JDBC URL, in
 * that database (PostgreSQL). Every row carries a version, bumped by each write; a category's
 * product list is a join of products and prices. A deleted user or discontinued product loses its
 * rows; loading one of them then answers {@link DomainValue#gone}.
 *
 * <p>One connection, used by one thread at a time (every method is synchronized). {@link #close}
 * drops the schema.
 */
final class DomainDatabase implements AutoCloseable {

  private static final AtomicInteger EMBEDDED = new AtomicInteger();

  private final Domain domain;
  private final long seed;
  private final String schema;
  private final String where;
  private final Connection connection;
  private final Map<Entity, PreparedStatement> loads = new EnumMap<>(Entity.class);
  private final Map<Entity, PreparedStatement> writes = new EnumMap<>(Entity.class);
  private boolean closed;

  private DomainDatabase(Domain domain, long seed, String where, Connection connection) {
    this.domain = domain;
    this.seed = seed;
    this.where = where;
    this.connection = connection;
    this.schema = "fcsim_" + Long.toHexString(new SplittableRandom().nextLong() >>> 16);
  }

  /**
   * Connects to {@code jdbcUrl} ({@code null}: a new embedded H2 database), creates the schema and
   * its tables and seeds them.
   *
   * @throws SQLException if the database cannot be reached or refuses a statement
   */
  static DomainDatabase open(String jdbcUrl, Domain domain, long seed) throws SQLException {
    String url =
        jdbcUrl == null ? "jdbc:h2:mem:freshcache-domain-" + EMBEDDED.incrementAndGet() : jdbcUrl;
    Connection connection = DriverManager.getConnection(url);
    DomainDatabase database =
        new DomainDatabase(domain, seed, jdbcUrl == null ? "embedded H2" : jdbcUrl, connection);
    try {
      database.createSchema();
      database.reset();
    } catch (SQLException | RuntimeException e) {
      try {
        database.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return database;
  }

  /** Where the rows are: "embedded H2" or the JDBC URL. */
  String where() {
    return where;
  }

  /** The schema the tables are in, dropped by {@link #close}. */
  String schema() {
    return schema;
  }

  private String table(String name) {
    return schema + "." + name;
  }

  private void createSchema() throws SQLException {
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("CREATE SCHEMA " + schema);
      ddl.execute(
          "CREATE TABLE "
              + table("users")
              + " (id BIGINT PRIMARY KEY, region BIGINT NOT NULL,"
              + " body VARCHAR(65536) NOT NULL, version BIGINT NOT NULL)");
      for (String t : List.of("preferences", "permissions")) {
        ddl.execute(
            "CREATE TABLE "
                + table(t)
                + " (user_id BIGINT PRIMARY KEY REFERENCES "
                + table("users")
                + " (id), body VARCHAR(65536) NOT NULL, version BIGINT NOT NULL)");
      }
      ddl.execute(
          "CREATE TABLE "
              + table("products")
              + " (id BIGINT PRIMARY KEY, category BIGINT NOT NULL,"
              + " body VARCHAR(65536) NOT NULL, version BIGINT NOT NULL)");
      ddl.execute(
          "CREATE INDEX " + schema + "_products_category ON " + table("products") + " (category)");
      ddl.execute(
          "CREATE TABLE "
              + table("prices")
              + " (product_id BIGINT PRIMARY KEY REFERENCES "
              + table("products")
              + " (id), cents BIGINT NOT NULL, body VARCHAR(65536) NOT NULL,"
              + " version BIGINT NOT NULL)");
      ddl.execute(
          "CREATE TABLE "
              + table("inventory")
              + " (product_id BIGINT NOT NULL REFERENCES "
              + table("products")
              + " (id), warehouse BIGINT NOT NULL, stock BIGINT NOT NULL,"
              + " body VARCHAR(65536) NOT NULL, version BIGINT NOT NULL,"
              + " PRIMARY KEY (product_id, warehouse))");
      ddl.execute(
          "CREATE TABLE "
              + table("reports")
              + " (id BIGINT PRIMARY KEY, body VARCHAR(65536) NOT NULL, version BIGINT NOT NULL)");
    }
    for (Entity e : Entity.values()) {
      if (e.hasRow()) {
        loads.put(
            e,
            connection.prepareStatement(
                "SELECT body, version FROM " + table(tableOf(e)) + " WHERE " + idWhere(e)));
        writes.put(
            e,
            connection.prepareStatement(
                "UPDATE "
                    + table(tableOf(e))
                    + " SET body = ?, version = ?"
                    + extraSet(e)
                    + " WHERE "
                    + idWhere(e)
                    + " AND version < ?"));
      }
    }
    loads.put(
        Entity.CATEGORY_LIST,
        connection.prepareStatement(
            "SELECT p.id, pr.cents, pr.version FROM "
                + table("products")
                + " p JOIN "
                + table("prices")
                + " pr ON pr.product_id = p.id WHERE p.category = ? ORDER BY p.id LIMIT "
                + Domain.LIST_PAGE));
  }

  private static String tableOf(Entity e) {
    return switch (e) {
      case PROFILE -> "users";
      case PREFERENCES -> "preferences";
      case PERMISSIONS -> "permissions";
      case PRODUCT -> "products";
      case PRICE -> "prices";
      case INVENTORY -> "inventory";
      case REPORT -> "reports";
      default -> throw new IllegalArgumentException(e + " has no table");
    };
  }

  private static String idWhere(Entity e) {
    return switch (e) {
      case PREFERENCES, PERMISSIONS -> "user_id = ?";
      case PRICE -> "product_id = ?";
      case INVENTORY -> "product_id = ? AND warehouse = ?";
      default -> "id = ?";
    };
  }

  /** The realistic column a write also changes: a price's cents, a stock's count. */
  private static String extraSet(Entity e) {
    return switch (e) {
      case PRICE -> ", cents = ?";
      case INVENTORY -> ", stock = ?";
      default -> "";
    };
  }

  /** Binds the row's id columns from {@code at}; returns the next parameter index. */
  private int bindId(PreparedStatement statement, int at, Entity e, int index) throws SQLException {
    if (e == Entity.INVENTORY) {
      statement.setLong(at, domain.productOfStock(index));
      statement.setLong(at + 1, domain.warehouseOfStock(index));
      return at + 2;
    }
    statement.setLong(at, index);
    return at + 1;
  }

  /** A number a row's realistic column takes at a version: cents or a stock count. */
  private static long figure(String key, long version) {
    long h = key.hashCode() * 31L + version;
    return 100 + Math.floorMod(h * 0x9E3779B97F4A7C15L, 100_000L);
  }

  /** Puts every row back at version 1, as seeded. */
  synchronized void reset() throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement clear = connection.createStatement()) {
      for (String t :
          List.of(
              "inventory",
              "prices",
              "products",
              "preferences",
              "permissions",
              "users",
              "reports")) {
        clear.execute("DELETE FROM " + table(t));
      }
      insert("users (id, region, body, version)", Entity.PROFILE, domain.users(), 1);
      insert("preferences (user_id, body, version)", Entity.PREFERENCES, domain.users(), 0);
      insert("permissions (user_id, body, version)", Entity.PERMISSIONS, domain.users(), 0);
      insert("products (id, category, body, version)", Entity.PRODUCT, domain.products(), 2);
      insert("prices (product_id, cents, body, version)", Entity.PRICE, domain.products(), 3);
      insert(
          "inventory (product_id, warehouse, stock, body, version)",
          Entity.INVENTORY,
          domain.keys(Entity.INVENTORY),
          4);
      insert("reports (id, body, version)", Entity.REPORT, domain.reports(), 0);
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Inserts {@code count} rows at version 1; {@code extra}: 0 none, 1 the user's region, 2 the
   * product's category, 3 the price's cents, 4 the stock's warehouse and count.
   */
  private void insert(String columns, Entity e, int count, int extra) throws SQLException {
    int params = columns.split(",").length;
    String marks = String.join(", ", java.util.Collections.nCopies(params, "?"));
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO " + schema + "." + columns + " VALUES (" + marks + ")")) {
      for (int i = 1; i <= count; i++) {
        String key = domain.key(e, i);
        int at = bindId(insert, 1, e, i);
        switch (extra) {
          case 1 -> insert.setLong(at++, domain.regionOf(i));
          case 2 -> insert.setLong(at++, domain.categoryOf(i));
          case 3, 4 -> insert.setLong(at++, figure(key, 1));
          default -> {}
        }
        insert.setString(at++, DomainValue.body(key, 1, e.valueBytes()));
        insert.setLong(at, 1);
        insert.addBatch();
        if (i % 2_000 == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
  }

  /**
   * Reads key {@code index} of {@code entity}: its row, or for a category list the join of its
   * products and their prices.
   *
   * @throws SQLException if the query fails
   */
  synchronized DomainValue load(Entity entity, int index) throws SQLException {
    requireOpen();
    String key = domain.key(entity, index);
    PreparedStatement load = loads.get(entity);
    if (entity == Entity.CATEGORY_LIST) {
      load.setLong(1, index);
      Map<String, Long> inputs = new LinkedHashMap<>();
      StringBuilder body = new StringBuilder();
      try (ResultSet rows = load.executeQuery()) {
        while (rows.next()) {
          long product = rows.getLong(1);
          inputs.put(domain.key(Entity.PRICE, (int) product), rows.getLong(3));
          body.append(product).append('=').append(rows.getLong(2)).append(';');
        }
      }
      String padded =
          body + DomainValue.body(key, 0, Math.max(0, entity.valueBytes() - body.length()));
      return new DomainValue(key, 0, padded, inputs);
    }
    if (load == null) {
      throw new IllegalArgumentException(entity + " is computed, not loaded");
    }
    bindId(load, 1, entity, index);
    try (ResultSet row = load.executeQuery()) {
      if (!row.next()) {
        return DomainValue.gone(key); // deleted by a user.deleted or product.discontinued
      }
      return new DomainValue(key, row.getLong(2), row.getString(1), Map.of());
    }
  }

  /**
   * Writes key {@code index} of {@code entity} at {@code version}, unless its row already holds
   * that version or a newer one.
   *
   * @return whether the row was written
   */
  synchronized boolean write(Entity entity, int index, long version) throws SQLException {
    requireOpen();
    PreparedStatement write = bind(entity, index, version);
    return write.executeUpdate() == 1;
  }

  /** Writes several rows of {@code entity}, each at its version, in one transaction. */
  synchronized void writeAll(Entity entity, List<Integer> indexes, long[] versions)
      throws SQLException {
    requireOpen();
    if (indexes.isEmpty()) {
      return;
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (int i = 0; i < indexes.size(); i++) {
        bind(entity, indexes.get(i), versions[i]).addBatch();
      }
      writes.get(entity).executeBatch();
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private PreparedStatement bind(Entity entity, int index, long version) throws SQLException {
    PreparedStatement write = writes.get(entity);
    if (write == null) {
      throw new IllegalArgumentException(entity + " has no row to write");
    }
    String key = domain.key(entity, index);
    write.setString(1, DomainValue.body(key, version, entity.valueBytes()));
    write.setLong(2, version);
    int at = 3;
    if (entity == Entity.PRICE || entity == Entity.INVENTORY) {
      write.setLong(at++, figure(key, version));
    }
    at = bindId(write, at, entity, index);
    write.setLong(at, version);
    return write;
  }

  /** Deletes user {@code user}: their preferences, permissions and profile, in one transaction. */
  synchronized void deleteUser(int user) throws SQLException {
    delete(user, "preferences", "user_id", "permissions", "user_id", "users", "id");
  }

  /**
   * Deletes discontinued product {@code product}: its stocks, its price and its details, in one
   * transaction; its category's list no longer shows it.
   */
  synchronized void discontinueProduct(int product) throws SQLException {
    delete(product, "inventory", "product_id", "prices", "product_id", "products", "id");
  }

  /** Deletes the rows of {@code id} from each table, by its column: pairs of table and column. */
  private void delete(int id, String... tablesAndColumns) throws SQLException {
    requireOpen();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (int i = 0; i < tablesAndColumns.length; i += 2) {
        try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM "
                    + table(tablesAndColumns[i])
                    + " WHERE "
                    + tablesAndColumns[i + 1]
                    + " = ?")) {
          delete.setLong(1, id);
          delete.executeUpdate();
        }
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** The version a row holds now. */
  synchronized long version(Entity entity, int index) throws SQLException {
    return load(entity, index).version();
  }

  private void requireOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the simulator's database is closed");
    }
  }

  /** Drops the schema and disconnects. Closing twice does nothing. */
  @Override
  public synchronized void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    try (Statement drop = connection.createStatement()) {
      if (!connection.getAutoCommit()) {
        connection.rollback();
        connection.setAutoCommit(true);
      }
      drop.execute("DROP SCHEMA " + schema + " CASCADE");
    } finally {
      connection.close();
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "DomainDatabase[%s, schema %s]", where, schema);
  }
}
