package io.freshcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's "With JCache", compiled and run on the real Redis, in a namespace of its own. */
class JCacheReadmeExampleIT {

  private static final String REDIS =
      System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");

  record Product(long id, String name, long priceCents) implements Serializable {
    Product withPrice(long cents) {
      return new Product(id, name, cents);
    }
  }

  static final Map<Long, Product> ROWS = new ConcurrentHashMap<>();

  /** The README's loader: reads the product table. */
  public static final class ProductLoader implements CacheLoader<Long, Product> {
    @Override
    public Product load(Long id) {
      return ROWS.get(id);
    }

    @Override
    public Map<Long, Product> loadAll(Iterable<? extends Long> ids) {
      Map<Long, Product> found = new java.util.HashMap<>();
      ids.forEach(id -> found.put(id, ROWS.get(id)));
      return found;
    }
  }

  private final String shop = "readme-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void cleanUp() {
    Caching.getCachingProvider().close();
    RedisClient client = RedisClient.create(REDIS);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(admin.sync(), ScanArgs.Builder.matches("*" + shop + "*").limit(500))
          .forEachRemaining(keys::add);
      if (!keys.isEmpty()) {
        admin.sync().unlink(keys.toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
    ROWS.clear();
  }

  @Test
  void theReadmeExampleRunsAsWritten() throws Exception {
    ROWS.put(42L, new Product(42, "kettle", 2_999));
    ClassLoader classLoader = getClass().getClassLoader();

    // As in the README, with this test's own namespace.
    Properties props = new Properties();
    props.setProperty(FreshCachingProvider.REDIS_URI, REDIS); // leave out: this process only
    props.setProperty(FreshCachingProvider.NAMESPACE, shop);
    props.setProperty(FreshCachingProvider.STALENESS_BOUND, "200ms");
    CacheManager manager =
        Caching.getCachingProvider()
            .getCacheManager(URI.create("freshcache:shop"), classLoader, props);

    Cache<Long, Product> products =
        manager.createCache(
            "products",
            new MutableConfiguration<Long, Product>()
                .setTypes(Long.class, Product.class)
                .setExpiryPolicyFactory(
                    CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10)))
                .setReadThrough(true)
                .setCacheLoaderFactory(FactoryBuilder.factoryOf(ProductLoader.class))
                .setStatisticsEnabled(true));

    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> serving(products));
    Product p = products.get(42L); // read through the loader
    products.put(42L, p.withPrice(2_499)); // every other instance drops its copy
    long cents =
        products.invoke(
            42L,
            (entry, args) -> {
              entry.setValue(entry.getValue().withPrice(1_999)); // atomic for the key
              return entry.getValue().priceCents();
            });
    manager.unwrap(CacheGroup.class).invalidateKeys("42"); // freshcache's own API, same key names
    ObjectName statistics =
        new ObjectName(
            "javax.cache:type=CacheStatistics,CacheManager=freshcache.shop,Cache=products");
    Object misses =
        ManagementFactory.getPlatformMBeanServer().getAttribute(statistics, "CacheMisses");

    assertThat(p.priceCents()).isEqualTo(2_999);
    assertThat(cents).isEqualTo(1_999);
    assertThat(products.containsKey(42L)).isFalse();
    assertThat(products.get(42L)).isEqualTo(ROWS.get(42L)); // loaded again
    assertThat(misses).isEqualTo(1L); // the first get; the one after the invalidation is next
    assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(statistics, "CacheMisses"))
        .isEqualTo(2L);
  }

  private static boolean serving(Cache<Long, Product> cache) {
    cache.put(-1L, new Product(-1, "probe", 0));
    boolean held = cache.containsKey(-1L);
    cache.remove(-1L);
    return held;
  }
}
