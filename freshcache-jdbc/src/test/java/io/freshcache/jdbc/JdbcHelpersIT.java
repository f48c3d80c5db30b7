package io.freshcache.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.InProcessBus;
import io.freshcache.Writes;
import io.freshcache.event.Invalidation;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC helpers on HikariCP and the private PostgreSQL: a Source from SQL (one query per key,
 * one per many keys), Writes as JDBC statements and batches, and cache work that follows a
 * transaction's commit and vanishes with its rollback — on two instances of a group.
 */
class JdbcHelpersIT {

  record Product(long id, String name) {}

  private static HikariDataSource pool;
  private static Counting counting;
  private static String url;

  private InProcessBus bus;
  private CacheGroup a;
  private CacheGroup b;
  private FreshCache<Long, Product> productsA;
  private FreshCache<Long, Product> productsB;
  private JdbcTransactions transactions;

  @BeforeAll
  static void pool() {
    url = io.freshcache.jdbc.pg.TestDatabases.newDatabase("helpers");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(4);
    pool = new HikariDataSource(config);
    counting = new Counting(pool);
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @BeforeEach
  void schema() throws SQLException {
    try (var c = pool.getConnection();
        var s = c.createStatement()) {
      s.execute("drop table if exists products");
      s.execute("create table products (id bigint primary key, name text not null)");
      s.execute("insert into products select g, 'p' || g from generate_series(1, 100) g");
    }
    bus = new InProcessBus();
    a = CacheGroup.builder("shop").bus(bus).instanceId("a").build();
    b = CacheGroup.builder("shop").bus(bus).instanceId("b").build();
    productsA = products(a, Writes.through(writer()));
    productsB = products(b, Writes.through(writer()));
    transactions = JdbcTransactions.of(counting.dataSource);
  }

  private FreshCache<Long, Product> products(CacheGroup g, Writes<Long, Product> writes) {
    return products(g, "products", writes);
  }

  private FreshCache<Long, Product> products(
      CacheGroup g, String name, Writes<Long, Product> writes) {
    return g.cache(name, Long.class, Product.class)
        .keyPrefix("product:")
        .source(source())
        .writes(writes)
        .build();
  }

  private static JdbcSource<Long, Product> source() {
    return JdbcSource.<Long, Product>builder(counting.dataSource)
        .byKey("select id, name from products where id = ?")
        .byKeys("select id, name from products where id = any(?)", "bigint")
        .key(row -> row.getLong("id"))
        .row(row -> new Product(row.getLong("id"), row.getString("name")))
        .build();
  }

  private static JdbcWriter<Long, Product> writer() {
    return JdbcWriter.<Long, Product>builder(counting.dataSource)
        .sql(
            "insert into products (id, name) values (?, ?) on conflict (id) do update set name ="
                + " excluded.name")
        .bind(
            (s, id, p) -> {
              s.setLong(1, id);
              s.setString(2, p.name());
            })
        .build();
  }

  private static String name(long id) throws SQLException {
    try (var c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("select name from products where id = ?")) {
      s.setLong(1, id);
      try (var rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Test
  void aSourceLoadsOneKeyWithOneQueryAndManyKeysWithOneQuery() throws Exception {
    int before = counting.statements.get();
    assertThat(productsA.get(7L)).isEqualTo(new Product(7, "p7"));
    assertThat(counting.statements.get() - before).isEqualTo(1);

    Set<Long> keys = LongStream.rangeClosed(10, 60).boxed().collect(Collectors.toSet());
    before = counting.statements.get();
    Map<Long, Product> all = productsA.getAll(keys);
    assertThat(counting.statements.get() - before).isEqualTo(1);
    assertThat(all).hasSize(51).containsEntry(42L, new Product(42, "p42"));
  }

  @Test
  void manyKeysWithInAreSplitIntoQueriesOfAtMostAThousand() throws Exception {
    JdbcSource<Long, Product> in =
        JdbcSource.<Long, Product>builder(counting.dataSource)
            .byKey("select id, name from products where id = ?")
            .byKeysIn("select id, name from products where id in (?)")
            .key(row -> row.getLong("id"))
            .row(row -> new Product(row.getLong("id"), row.getString("name")))
            .build();
    Set<Long> keys = new HashSet<>();
    LongStream.rangeClosed(1, 2_500).forEach(keys::add);
    int before = counting.statements.get();
    Map<Long, Product> found = in.loadAll(keys);
    assertThat(counting.statements.get() - before).isEqualTo(3);
    assertThat(found).hasSize(100); // rows 1..100 exist; the others are left out
  }

  @Test
  void aKeyWithoutARowFailsItsLoadUnlessAbsentSaysWhatStandsForIt() throws Exception {
    assertThatThrownBy(() -> source().load(1_000L))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("no row for key 1000");
    JdbcSource<Long, Product> withAbsent =
        JdbcSource.<Long, Product>builder(counting.dataSource)
            .byKey("select id, name from products where id = ?")
            .row(row -> new Product(row.getLong("id"), row.getString("name")))
            .absent(id -> new Product(id, "<none>"))
            .build();
    assertThat(withAbsent.load(1_000L)).isEqualTo(new Product(1000, "<none>"));
  }

  @Test
  void writeThroughInTheCallersTransactionRollsBackWithIt() throws Exception {
    assertThat(productsB.get(5L).name()).isEqualTo("p5");
    try (JdbcTransaction tx = transactions.begin()) {
      tx.put(productsA, 5L, new Product(5, "draft"));
      assertThat(name(5)).as("not committed: other connections see the old row").isEqualTo("p5");
      tx.rollback();
    }
    assertThat(name(5)).isEqualTo("p5");
    assertThat(productsA.getIfPresent(5L)).as("the rolled-back value is gone here").isNull();
    assertThat(productsA.get(5L).name()).isEqualTo("p5");
    assertThat(productsB.get(5L).name()).isEqualTo("p5");
  }

  @Test
  void writeThroughInTheCallersTransactionCommitsWithItAndNoInstanceKeepsTheOldValue()
      throws Exception {
    transactions.inTransaction(
        tx -> {
          tx.put(productsA, 6L, new Product(6, "final"));
          // another instance loads the committed (old) row before the commit
          assertThat(productsB.get(6L).name()).isEqualTo("p6");
          return null;
        });
    assertThat(name(6)).isEqualTo("final");
    assertThat(productsB.get(6L).name()).isEqualTo("final");
    assertThat(productsA.get(6L).name()).isEqualTo("final");
  }

  @Test
  void aPutStraightOnTheCacheInsideATransactionIsRefusedAndChangesNothing() throws Exception {
    productsA.get(8L);
    try (JdbcTransaction tx = transactions.begin()) {
      assertThatThrownBy(() -> productsA.put(8L, new Product(8, "sneaky")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("use tx.put(cache, key, value)");
      tx.commit();
    }
    assertThat(name(8)).isEqualTo("p8");
    assertThat(productsA.get(8L).name()).isEqualTo("p8");
  }

  @Test
  void writeBehindFlushesAsJdbcBatches() throws Exception {
    FreshCache<Long, Product> behind =
        products(
            a,
            "behind",
            Writes.behind(writer()).batchSize(50).flushEvery(java.time.Duration.ofHours(1)));
    int before = counting.batches.get();
    Map<Long, Product> written = new LinkedHashMap<>();
    for (long id = 200; id < 400; id++) {
      behind.put(id, new Product(id, "b" + id));
      written.put(id, new Product(id, "b" + id));
    }
    behind.close(); // flushes what is pending
    assertThat(counting.batches.get() - before).isBetween(4, 8);
    for (long id : List.of(200L, 299L, 399L)) {
      assertThat(name(id)).isEqualTo("b" + id);
    }
  }

  @Test
  void anInvalidationInATransactionTakesEffectAfterCommitAndNotAtAllOnRollback() throws Exception {
    productsA.get(9L);
    productsB.get(9L);
    try (JdbcTransaction tx = transactions.begin()) {
      try (PreparedStatement s =
          tx.connection().prepareStatement("update products set name = 'nine' where id = 9")) {
        s.executeUpdate();
      }
      tx.invalidateAfterCommit(productsA, 9L);
      assertThat(productsB.getIfPresent(9L)).as("nothing happens before the commit").isNotNull();
      tx.rollback();
    }
    assertThat(productsA.getIfPresent(9L)).as("nor after a rollback").isNotNull();
    assertThat(productsB.getIfPresent(9L)).isNotNull();

    try (JdbcTransaction tx = transactions.begin()) {
      try (PreparedStatement s =
          tx.connection().prepareStatement("update products set name = 'nine' where id = 9")) {
        s.executeUpdate();
      }
      tx.invalidateAfterCommit(a, Invalidation.keys("product:9"));
      assertThat(productsB.get(9L).name()).isEqualTo("p9");
      tx.commit();
    }
    assertThat(productsA.getIfPresent(9L)).isNull();
    assertThat(productsB.getIfPresent(9L)).isNull();
    assertThat(productsB.get(9L).name()).isEqualTo("nine");
  }

  @Test
  void oneTransactionPerThread() throws Exception {
    try (JdbcTransaction tx = transactions.begin()) {
      assertThat(tx.connection().getAutoCommit()).isFalse();
      assertThatThrownBy(transactions::begin)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already has a JdbcTransaction open");
    }
  }
}
