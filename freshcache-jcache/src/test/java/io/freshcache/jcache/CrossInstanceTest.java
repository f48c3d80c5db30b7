package io.freshcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.CacheGroup;
import io.freshcache.InProcessBus;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of one service, each with its own cache manager and group, on one in-process bus
 * (zero propagation delay, so each change has reached the other instance when the call returns).
 */
class CrossInstanceTest {

  /** The database both instances read through; static so the loader factory can find it. */
  static final Map<Long, String> DATABASE = new ConcurrentHashMap<>();

  /** Reads the database. */
  public static final class DatabaseLoader implements CacheLoader<Long, String> {
    @Override
    public String load(Long key) {
      return DATABASE.get(key);
    }

    @Override
    public Map<Long, String> loadAll(Iterable<? extends Long> keys) {
      Map<Long, String> found = new java.util.HashMap<>();
      keys.forEach(k -> found.put(k, DATABASE.get(k)));
      return found;
    }
  }

  private final InProcessBus bus = new InProcessBus();
  private final CachingProvider provider = Caching.getCachingProvider();
  private final CacheGroup groupA = CacheGroup.builder("shop").bus(bus).build();
  private final CacheGroup groupB = CacheGroup.builder("shop").bus(bus).build();
  private final Cache<Long, String> onA = cache("test:instance-a", groupA);
  private final Cache<Long, String> onB = cache("test:instance-b", groupB);

  private Cache<Long, String> cache(String uri, CacheGroup group) {
    Properties props = new Properties();
    props.put(FreshCachingProvider.GROUP, group);
    CacheManager manager =
        provider.getCacheManager(URI.create(uri), getClass().getClassLoader(), props);
    return manager.createCache(
        "products",
        new MutableConfiguration<Long, String>()
            .setTypes(Long.class, String.class)
            .setReadThrough(true)
            .setCacheLoaderFactory(FactoryBuilder.factoryOf(DatabaseLoader.class)));
  }

  @AfterEach
  void close() {
    onA.getCacheManager().close();
    onB.getCacheManager().close();
    groupA.close();
    groupB.close();
    bus.close();
    DATABASE.clear();
  }

  @Test
  void aPutOnOneInstanceDropsTheKeyOnTheOther() {
    DATABASE.put(42L, "v1");
    assertThat(onB.get(42L)).isEqualTo("v1");

    DATABASE.put(42L, "v2");
    onA.put(42L, "v2");

    assertThat(onB.containsKey(42L)).isFalse();
    assertThat(onB.get(42L)).isEqualTo("v2"); // read through again
    assertThat(onA.get(42L)).isEqualTo("v2"); // the writer keeps what it put
  }

  @Test
  void aRemovalOnOneInstanceDropsTheKeyOnTheOtherEvenIfItHeldNoCopy() {
    onB.put(7L, "cached on B");
    assertThat(onA.containsKey(7L)).isFalse();

    onA.remove(7L);

    assertThat(onB.containsKey(7L)).isFalse();
  }

  @Test
  void anEntryInvalidatedElsewhereLeavesThisInstancesMemoryWithoutBeingRead() {
    onB.put(5L, "five");
    onB.put(6L, "six");
    assertThat(onB.unwrap(FreshJCache.class).held()).isEqualTo(2);

    onA.remove(5L);

    assertThat(onB.unwrap(FreshJCache.class).held()).isEqualTo(1);
  }

  @Test
  void clearOnOneInstanceEmptiesTheOther() {
    onB.put(1L, "one");
    onB.put(2L, "two");

    onA.clear();

    assertThat(onB.iterator().hasNext()).isFalse();
  }

  @Test
  void anInvalidationByKeyNameFromAnyPublisherDropsTheEntry() {
    onB.put(42L, "cached");

    groupA.invalidateKeys("42"); // as `freshcache invalidate --key 42` would

    assertThat(onB.containsKey(42L)).isFalse();
  }

  @Test
  void aCacheWhoseNameIsNoFreshcacheNameIsNamedAlikeOnEveryInstance() {
    MutableConfiguration<String, String> config =
        new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    Cache<String, String> pricesOnA = onA.getCacheManager().createCache("prices (EUR)", config);
    Cache<String, String> pricesOnB = onB.getCacheManager().createCache("prices (EUR)", config);
    pricesOnB.put("", "an empty key is a key too");

    pricesOnA.remove("");

    assertThat(pricesOnB.containsKey("")).isFalse();
  }

  @Test
  void twoManagersCannotShareOneGroupForOneCacheName() {
    Properties props = new Properties();
    props.put(FreshCachingProvider.GROUP, groupA);
    CacheManager second =
        provider.getCacheManager(URI.create("test:second"), getClass().getClassLoader(), props);
    try {
      assertThatThrownBy(
              () -> second.createCache("products", new MutableConfiguration<Long, String>()))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("cache 'products' cannot join the group 'shop'")
          .hasMessageContaining("give each cache manager a group of its own");
    } finally {
      second.close();
    }
  }

  @Test
  void readsAndExpiryUpdatesDoNotTravel() {
    onA.put(1L, "one");
    onB.put(2L, "two");
    onA.get(1L);
    onA.get(2L); // a miss on A: nothing is sent, B keeps its entry

    assertThat(onB.get(2L)).isEqualTo("two");
  }
}
