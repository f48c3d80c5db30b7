package io.freshcache.cli.simulate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's source of truth: an embedded, in-memory H2 database holding one table, {@code
 * products(id, name, price_cents, version, category)}, with rows {@code 1..rows} spread over {@link
 * Categories}.
 *
 * <p>Every thread queries through a JDBC connection of its own, opened on its first query and kept
 * until {@link #close}. Thread-safe. Each instance is a separate database, so simulations never see
 * each other's rows.
 */
final class ProductDatabase implements AutoCloseable {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  /** Rows inserted, and committed, together when the table is seeded. */
  private static final int INSERT_BATCH = 10_000;

  /** A thread's connection and its prepared statements. */
  private record Session(
      Connection connection,
      PreparedStatement find,
      PreparedStatement update,
      PreparedStatement write,
      PreparedStatement reprice) {}

  private final int rows;
  private final long seed;
  private final Categories categories;
  private final String url;
  private final Connection admin;
  private final ThreadLocal<Session> sessions = new ThreadLocal<>();
  private final List<Session> opened = new ArrayList<>();
  private volatile boolean closed;

  private ProductDatabase(int rows, long seed, String url, Connection admin) {
    this.rows = rows;
    this.seed = seed;
    this.categories = Categories.of(rows);
    this.url = url;
    this.admin = admin;
  }

  /**
   * Creates the database and seeds it with {@code rows} products, each at version 1, at prices
   * drawn from {@link Seeds#prices seed}.
   *
   * @throws SQLException if H2 cannot create it
   */
  static ProductDatabase create(int rows, long seed) throws SQLException {
    if (rows < 1) {
      throw new IllegalArgumentException("the database needs at least one row, was " + rows);
    }
    // The admin connection stays open for the database's life: an H2 in-memory database vanishes
    // when its last connection closes.
    String url = "jdbc:h2:mem:freshcache-simulate-" + DATABASES.incrementAndGet();
    Connection admin = DriverManager.getConnection(url);
    try (Statement ddl = admin.createStatement()) {
      ddl.execute(
          "CREATE TABLE products ("
              + "id BIGINT PRIMARY KEY, "
              + "name VARCHAR(64) NOT NULL, "
              + "price_cents BIGINT NOT NULL, "
              + "version BIGINT NOT NULL, "
              + "category BIGINT NOT NULL)");
      ddl.execute("CREATE INDEX products_category ON products (category)");
    } catch (SQLException e) {
      admin.close();
      throw e;
    }
    ProductDatabase database = new ProductDatabase(rows, seed, url, admin);
    database.reset();
    return database;
  }

  /** A price between 1.00 and 10,000.00, in cents. */
  static long randomPrice(SplittableRandom random) {
    return 100 + random.nextLong(1_000_000 - 100);
  }

  /** The name every product has in the seeded table: {@code product-<id>}. */
  static String nameOf(long id) {
    return "product-" + id;
  }

  /** The number of rows, ids {@code 1..rows()}. */
  int rows() {
    return rows;
  }

  /** How the rows fall into categories. */
  Categories categories() {
    return categories;
  }

  /**
   * Puts every row back to its seeded state: the same name and price as after {@link #create}, at
   * version 1. Commits every {@link #INSERT_BATCH} rows, so that H2 never holds the whole table
   * twice (the rows and what it would need to roll them back); if it fails part-way, the table is
   * left part-filled and the run that called it fails.
   */
  synchronized void reset() throws SQLException {
    requireOpen();
    boolean autoCommit = admin.getAutoCommit();
    admin.setAutoCommit(false);
    try (Statement truncate = admin.createStatement();
        PreparedStatement insert =
            admin.prepareStatement(
                "INSERT INTO products (id, name, price_cents, version, category)"
                    + " VALUES (?, ?, ?, 1, ?)")) {
      truncate.execute("TRUNCATE TABLE products");
      SplittableRandom random = Seeds.prices(seed);
      for (long id = 1; id <= rows; id++) {
        insert.setLong(1, id);
        insert.setString(2, nameOf(id));
        insert.setLong(3, randomPrice(random));
        insert.setLong(4, categories.categoryOf(id));
        insert.addBatch();
        if (id % INSERT_BATCH == 0) {
          insert.executeBatch();
          admin.commit();
        }
      }
      insert.executeBatch();
      admin.commit();
    } catch (SQLException e) {
      admin.rollback();
      throw e;
    } finally {
      admin.setAutoCommit(autoCommit);
    }
  }

  /**
   * Reads one product with a {@code SELECT} on the calling thread's connection.
   *
   * @throws SQLException if the query fails or there is no row with that id
   */
  Product find(long id) throws SQLException {
    PreparedStatement find = session().find();
    find.setLong(1, id);
    try (ResultSet row = find.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("no product with id " + id + " (ids are 1.." + rows + ")");
      }
      return new Product(row.getLong(1), row.getString(2), row.getLong(3), row.getLong(4));
    }
  }

  /**
   * Sets a product's price and bumps its version by one, directly in the database.
   *
   * @throws SQLException if the update fails or there is no row with that id
   */
  void updatePrice(long id, long priceCents) throws SQLException {
    PreparedStatement update = session().update();
    update.setLong(1, priceCents);
    update.setLong(2, id);
    if (update.executeUpdate() != 1) {
      throw new SQLException("no product with id " + id + " (ids are 1.." + rows + ")");
    }
  }

  /**
   * Writes a product's price at its version, unless the row already holds that version or a newer
   * one: the optimistic check an application writes so that writers flushing out of order (two
   * instances' write-behind queues) never put an older row back.
   *
   * @return whether the row was written; {@code false} if it already held a newer version
   * @throws SQLException if the update fails or there is no row with that id
   */
  boolean write(Product product) throws SQLException {
    PreparedStatement write = session().write();
    write.setLong(1, product.priceCents());
    write.setLong(2, product.version());
    write.setLong(3, product.id());
    write.setLong(4, product.version());
    if (write.executeUpdate() == 1) {
      return true;
    }
    find(product.id()); // throws if there is no such row
    return false;
  }

  /**
   * Reprices every product of a category by {@code percent} percent of its price (at least one
   * cent) and bumps each one's version by one, in one statement.
   *
   * @return the number of rows updated
   * @throws SQLException if the update fails
   */
  int repriceCategory(long category, int percent) throws SQLException {
    if (percent < 1) {
      throw new IllegalArgumentException("percent must be positive, was " + percent);
    }
    PreparedStatement reprice = session().reprice();
    reprice.setLong(1, percent);
    reprice.setLong(2, category);
    return reprice.executeUpdate();
  }

  /**
   * Every row's version, indexed by id (index 0 unused), read in one query.
   *
   * @throws SQLException if the query fails
   */
  long[] versions() throws SQLException {
    long[] versions = new long[rows + 1];
    synchronized (this) {
      requireOpen();
      try (Statement select = admin.createStatement();
          ResultSet row = select.executeQuery("SELECT id, version FROM products")) {
        while (row.next()) {
          versions[(int) row.getLong(1)] = row.getLong(2);
        }
      }
    }
    return versions;
  }

  private Session session() throws SQLException {
    Session session = sessions.get();
    if (session == null) {
      session = open();
      sessions.set(session);
    }
    return session;
  }

  private synchronized Session open() throws SQLException {
    requireOpen();
    Connection connection = DriverManager.getConnection(url);
    Session session =
        new Session(
            connection,
            connection.prepareStatement(
                "SELECT id, name, price_cents, version FROM products WHERE id = ?"),
            connection.prepareStatement(
                "UPDATE products SET price_cents = ?, version = version + 1 WHERE id = ?"),
            connection.prepareStatement(
                "UPDATE products SET price_cents = ?, version = ? WHERE id = ? AND version < ?"),
            connection.prepareStatement(
                "UPDATE products SET price_cents = GREATEST(1, price_cents * ? / 100),"
                    + " version = version + 1 WHERE category = ?"));
    opened.add(session);
    return session;
  }

  private void requireOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the simulator's database is closed");
    }
  }

  /** Closes every connection, which drops the database. Closing twice does nothing. */
  @Override
  public synchronized void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    SQLException failure = null;
    for (Session session : opened) {
      try {
        session.connection().close();
      } catch (SQLException e) {
        failure = e;
      }
    }
    opened.clear();
    admin.close();
    if (failure != null) {
      throw failure;
    }
  }
}
