package io.freshcache.jdbc.pg;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import io.freshcache.redis.RedisBus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Three application instances of group {@code namespace} on the real Redis (each its own bus
 * connection), each with a {@code products} cache (key {@code product:<id>}, tagged {@code
 * category:<category_id>}) and a {@code listings} cache (key {@code listing:<category>}: the names
 * of a category's products, tagged with the category), both loading from the database.
 */
final class Fleet implements AutoCloseable {

  static final String REDIS = System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");
  static final String PREFIX = "cdctest";
  private static final AtomicLong COUNT = new AtomicLong();

  record Product(long id, String name, int categoryId) {}

  final String namespace;
  final List<CacheGroup> groups = new ArrayList<>();
  final List<FreshCache<Long, Product>> products = new ArrayList<>();
  final List<FreshCache<Integer, String>> listings = new ArrayList<>();
  final List<CommitLag> lags = new ArrayList<>();
  final List<java.util.concurrent.atomic.AtomicInteger> lossesSeen = new ArrayList<>();

  Fleet(String url, int instances) {
    this.namespace = "cdc-" + COUNT.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    for (int i = 0; i < instances; i++) {
      CacheGroup g =
          CacheGroup.builder(namespace)
              .instanceId("instance-" + i)
              .bus(RedisBus.builder(REDIS).keyPrefix(PREFIX))
              .build();
      groups.add(g);
      lags.add(CommitLag.attach(g));
      java.util.concurrent.atomic.AtomicInteger losses =
          new java.util.concurrent.atomic.AtomicInteger();
      lossesSeen.add(losses);
      g.subscribe(
          PgChangeCapture.EVENT_TYPE,
          event -> {
            if (event.data().containsKey("loss")) {
              losses.incrementAndGet();
            }
            return List.of();
          });
      products.add(
          g.cache("products", Long.class, Product.class)
              .keyPrefix("product:")
              .source(id -> product(url, id))
              .tags((id, p) -> Tags.of("category:" + p.categoryId()))
              .build());
      listings.add(
          g.cache("listings", Integer.class, String.class)
              .keyPrefix("listing:")
              .source(category -> listing(url, category))
              .tags((category, names) -> Tags.of("category:" + category))
              .build());
    }
  }

  /** A capture builder for this fleet's group, publishing on its own connection to Redis. */
  PgChangeCaptureBuilder capture(String url) {
    return PgChangeCapture.builder(namespace, url).bus(RedisBus.builder(REDIS).keyPrefix(PREFIX));
  }

  static Product product(String url, long id) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s =
            c.prepareStatement("select id, name, category_id from products where id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no product " + id);
        }
        return new Product(rs.getLong(1), rs.getString(2), rs.getInt(3));
      }
    }
  }

  static String listing(String url, int category) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s =
            c.prepareStatement(
                "select coalesce(string_agg(name, ',' order by id), '') from products where"
                    + " category_id = ?")) {
      s.setInt(1, category);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Whether every instance has applied {@code n} losses' clears. */
  boolean allApplied(int losses) {
    return lossesSeen.stream().allMatch(l -> l.get() == losses);
  }

  @Override
  public void close() {
    lags.forEach(CommitLag::close);
    groups.forEach(CacheGroup::close);
    deleteKeys(namespace);
  }

  /** Unlinks the namespace's keys (SCAN, never KEYS: the Redis is shared). */
  static void deleteKeys(String namespace) {
    RedisClient client = RedisClient.create(REDIS);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      List<String> found = new ArrayList<>();
      ScanIterator.scan(admin.sync(), ScanArgs.Builder.matches(PREFIX + ":{" + namespace + "}*"))
          .forEachRemaining(found::add);
      if (!found.isEmpty()) {
        admin.sync().unlink(found.toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
  }
}
