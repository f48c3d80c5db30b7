package io.freshcache.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import io.freshcache.Writes;
import io.freshcache.event.Invalidation;
import io.freshcache.jdbc.pg.PgChangeCapture;
import io.freshcache.jdbc.pg.TableMapping;
import io.freshcache.jdbc.pg.TestDatabases;
import io.freshcache.redis.RedisBus;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The module README's examples (the role and password aside), run against the private PostgreSQL
 * and the real Redis.
 */
class ReadmeExampleIT {

  record Product(long id, String name, int categoryId) {}

  private static final String REDIS =
      System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");

  @Test
  void theReadmeExamplesRun() throws Exception {
    String url = TestDatabases.newDatabase("readme");
    String namespace = "cdc-readme-" + Long.toString(System.nanoTime(), 36);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (var c = pool.getConnection();
          var s = c.createStatement()) {
        s.execute(
            "create table products (id bigint primary key, name text not null, category_id int,"
                + " price numeric not null default 10)");
        s.execute("alter table products replica identity full");
        s.execute("create table coupons (code text primary key)");
        s.execute("insert into products (id, name, category_id) values (42, 'lamp', 7)");
      }
      CacheGroup shop =
          CacheGroup.builder(namespace).bus(RedisBus.builder(REDIS).keyPrefix("cdctest")).build();
      String secret = "";

      // --- README: invalidation from the database
      PgChangeCapture capture =
          PgChangeCapture.builder(namespace, url) // the group's namespace
              .user("postgres")
              .password(secret)
              .bus(RedisBus.builder(REDIS).keyPrefix("cdctest"))
              .map(TableMapping.table("products").key("product:{id}").tag("category:{category_id}"))
              .map(TableMapping.table("coupons").key("coupon:{code}"))
              .start();

      java.util.concurrent.atomic.AtomicInteger cleared =
          new java.util.concurrent.atomic.AtomicInteger();
      shop.subscribe(
          PgChangeCapture.EVENT_TYPE,
          event -> {
            if (event.data().containsKey("loss")) {
              cleared.incrementAndGet(); // the first start's clear: wait for it before loading
            }
            return java.util.List.of();
          });
      await().atMost(Duration.ofSeconds(20)).until(() -> cleared.get() == 1);

      // --- README: JDBC helpers
      JdbcSource<Long, Product> source =
          JdbcSource.<Long, Product>builder(pool)
              .byKey("select id, name, category_id from products where id = ?")
              .byKeys("select id, name, category_id from products where id = any(?)", "bigint")
              .key(row -> row.getLong("id"))
              .row(
                  row ->
                      new Product(
                          row.getLong("id"), row.getString("name"), row.getInt("category_id")))
              .build();
      JdbcWriter<Long, Product> writer =
          JdbcWriter.<Long, Product>builder(pool)
              .sql(
                  "insert into products (id, name, category_id) values (?, ?, ?)"
                      + " on conflict (id) do update set name = excluded.name, category_id ="
                      + " excluded.category_id")
              .bind(
                  (s, id, p) -> {
                    s.setLong(1, id);
                    s.setString(2, p.name());
                    s.setInt(3, p.categoryId());
                  })
              .build();
      FreshCache<Long, Product> products =
          shop.cache("products", Long.class, Product.class)
              .keyPrefix("product:")
              .source(source)
              .tags((id, p) -> Tags.of("category:" + p.categoryId()))
              .writes(Writes.through(writer))
              .build();

      // --- README: cache work that follows the transaction
      Product updated = new Product(42, "desk lamp", 7);
      JdbcTransactions transactions = JdbcTransactions.of(pool);
      try (JdbcTransaction tx = transactions.begin()) {
        try (PreparedStatement s =
            tx.connection()
                .prepareStatement(
                    "update products set price = price * 0.9 where category_id = ?")) {
          s.setInt(1, 7);
          s.executeUpdate();
        }
        tx.invalidateAfterCommit(shop, Invalidation.tags("category:7"));
        tx.put(products, 42L, updated);
        tx.commit();
      }

      assertThat(products.get(42L)).isEqualTo(updated);
      try (var c = pool.getConnection();
          var s = c.createStatement()) {
        s.executeUpdate("update products set name = 'floor lamp' where id = 42");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> products.getIfPresent(42L) == null);
      assertThat(products.get(42L).name()).isEqualTo("floor lamp");

      capture.close();
      shop.close();
    } finally {
      io.freshcache.jdbc.pg.TestDatabases.deleteRedisKeys(namespace);
    }
  }
}
