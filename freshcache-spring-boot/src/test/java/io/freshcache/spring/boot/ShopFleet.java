package io.freshcache.spring.boot;

import io.freshcache.spring.boot.shop.ProductRepository;
import io.freshcache.spring.boot.shop.ProductService;
import io.freshcache.spring.boot.shop.ShopApplication;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Instances of the test shop: Spring Boot application contexts over one PostgreSQL schema of their
 * own and one Redis namespace of their own, both removed by {@link #close()}.
 */
public final class ShopFleet implements AutoCloseable {

  static final String REDIS = System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String KEY_PREFIX = "fcspringit";
  private static final AtomicLong RUNS = new AtomicLong();

  final Duration bound;
  final String schema = "fc_spring_" + ProcessHandle.current().pid() + "_" + RUNS.incrementAndGet();
  final String namespace = "fcspring-" + System.nanoTime();
  private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

  ShopFleet(Duration bound) throws SQLException {
    this.bound = bound;
    try (Connection c = DriverManager.getConnection(POSTGRES);
        Statement s = c.createStatement()) {
      s.execute("create schema " + schema);
      s.execute(
          "create table "
              + schema
              + ".products (id bigint primary key, name text not null, price_cents bigint not null)");
      for (int id = 1; id <= 20; id++) {
        s.execute(
            "insert into "
                + schema
                + ".products values ("
                + id
                + ", 'p"
                + id
                + "', "
                + id * 100
                + ")");
      }
    }
  }

  /** Starts one more instance. */
  ConfigurableApplicationContext start(Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.datasource.url", POSTGRES + "&currentSchema=" + schema);
    properties.put("spring.datasource.hikari.maximum-pool-size", "4");
    properties.put("freshcache.namespace", namespace);
    properties.put("freshcache.redis.uri", REDIS);
    properties.put("freshcache.redis.key-prefix", KEY_PREFIX);
    properties.put("freshcache.redis.staleness-bound", bound.toMillis() + "ms");
    properties.put("freshcache.caches.products.ttl", "10m");
    // Other tests publish plain events on the shared cache:invalidation:* channels (interoperable
    // by design, so they reach every namespace): these instances hear freshcache publishers only.
    properties.put("freshcache.redis.channel-delivery", "false");
    properties.putAll(extra);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ShopApplication.class)
            .web(WebApplicationType.NONE)
            .properties(properties)
            .run();
    instances.add(context);
    return context;
  }

  static ProductService service(ConfigurableApplicationContext instance) {
    return instance.getBean(ProductService.class);
  }

  static ProductRepository repository(ConfigurableApplicationContext instance) {
    return instance.getBean(ProductRepository.class);
  }

  /**
   * How often the instances' link to Redis was disturbed (losses, suspensions, tier failures and
   * skips): other tests on the same Redis kill connections and pause it, and then reads go to the
   * database by design. A count that did not move means the instances were undisturbed.
   */
  long disturbances() {
    long sum = 0;
    for (ConfigurableApplicationContext instance : instances) {
      io.freshcache.stats.GroupStats g = instance.getBean(io.freshcache.CacheGroup.class).stats();
      sum += g.losses() + g.suspensions() + g.sharedFailures() + g.sharedSkipped();
    }
    return sum;
  }

  /** Queries of the products table over every instance. */
  int reads() {
    return instances.stream().mapToInt(i -> repository(i).reads()).sum();
  }

  /** Unlinks every Redis key of {@code namespace} (SCAN, never KEYS). */
  public static void deleteNamespace(String namespace) {
    RedisClient client = RedisClient.create(REDIS);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(admin.sync(), ScanArgs.Builder.matches("*" + namespace + "*").limit(500))
          .forEachRemaining(keys::add);
      if (!keys.isEmpty()) {
        admin.sync().unlink(keys.toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
  }

  @Override
  public void close() throws SQLException {
    RuntimeException failure = null;
    for (ConfigurableApplicationContext instance : instances) {
      try {
        instance.close();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    try (Connection c = DriverManager.getConnection(POSTGRES);
        Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + schema + " cascade");
    }
    deleteNamespace(namespace);
    if (failure != null) {
      throw failure;
    }
  }
}
