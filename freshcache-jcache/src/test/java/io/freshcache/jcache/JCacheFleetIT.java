package io.freshcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of a service on the real Redis, each with its own cache manager (and so its own
 * group and bus connections) in this test's own namespace: what one puts or removes, the other
 * stops serving within the bus's staleness bound.
 */
class JCacheFleetIT {

  private static final String REDIS =
      System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");
  private static final Duration BOUND = Duration.ofMillis(200);

  private final String namespace = "jcache-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final CachingProvider provider = Caching.getCachingProvider();
  private final List<CacheManager> managers = new ArrayList<>();

  private CacheManager instance(String name) {
    Properties props = new Properties();
    props.setProperty(FreshCachingProvider.REDIS_URI, REDIS);
    props.setProperty(FreshCachingProvider.NAMESPACE, namespace);
    props.setProperty(FreshCachingProvider.STALENESS_BOUND, BOUND.toMillis() + "ms");
    CacheManager manager =
        provider.getCacheManager(
            URI.create("test:" + namespace + "-" + name), getClass().getClassLoader(), props);
    managers.add(manager);
    return manager;
  }

  private static Cache<String, String> products(CacheManager manager) {
    return manager.createCache(
        "products",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  @AfterEach
  void cleanUp() {
    managers.forEach(CacheManager::close);
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

  /** Waits (within a generous multiple of the bound, on a loaded machine) until B has it. */
  private static void untilGone(Cache<String, String> cache, String key) {
    Awaitility.await()
        .atMost(BOUND.multipliedBy(10).toMillis(), TimeUnit.MILLISECONDS)
        .pollInterval(10, TimeUnit.MILLISECONDS)
        .until(() -> !cache.containsKey(key));
  }

  @Test
  void aPutOnOneInstanceDropsTheKeyOnTheOther() {
    Cache<String, String> onA = products(instance("a"));
    Cache<String, String> onB = products(instance("b"));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> servesHits(onA) && servesHits(onB));
    long heardByA = applied(onA);
    onB.put("product:42", "old price");
    assertThat(onB.get("product:42")).isEqualTo("old price");
    // B's put told A to drop the key; once A has heard it, A's own put is the newest change
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> applied(onA) > heardByA);

    onA.put("product:42", "new price");

    untilGone(onB, "product:42");
    assertThat(onB.get("product:42")).isNull();
    assertThat(onA.get("product:42")).isEqualTo("new price");
  }

  @Test
  void aRemovalOnOneInstanceDropsTheKeyOnTheOther() {
    Cache<String, String> onA = products(instance("a"));
    Cache<String, String> onB = products(instance("b"));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> servesHits(onA) && servesHits(onB));
    onB.put("product:7", "cached on B only");

    onA.remove("product:7");

    untilGone(onB, "product:7");
  }

  @Test
  void aManagerNamedByItsRedisUriJoinsTheFleet() {
    Properties props = new Properties();
    props.setProperty(FreshCachingProvider.NAMESPACE, namespace);
    CacheManager byUri =
        provider.getCacheManager(URI.create(REDIS), getClass().getClassLoader(), props);
    managers.add(byUri);
    assertThat(byUri.unwrap(CacheGroup.class).name()).isEqualTo(namespace);
    Cache<String, String> onA = products(byUri);
    Cache<String, String> onB = products(instance("b"));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> servesHits(onA) && servesHits(onB));
    onB.put("k", "v");

    onA.clear();

    untilGone(onB, "k");
  }

  private static long applied(Cache<String, String> cache) {
    return cache.getCacheManager().unwrap(CacheGroup.class).stats().applied();
  }

  /** True once the instance's bus has proven it is current, so local hits are served. */
  private static boolean servesHits(Cache<String, String> cache) {
    cache.put("probe", "p");
    return cache.containsKey("probe");
  }
}
