package io.freshcache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.CacheGroup;
import io.freshcache.Expiry;
import io.freshcache.InProcessBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;

/** The Spring cache contract on freshcache, over two groups sharing an in-process bus. */
class FreshSpringCacheTest {

  record Product(long id, String name) {}

  private final InProcessBus bus = new InProcessBus();
  private final AtomicLong now = new AtomicLong();
  private final List<CacheGroup> groups = new ArrayList<>();

  @AfterEach
  void close() {
    groups.forEach(CacheGroup::close);
  }

  private FreshCacheManager manager(FreshCacheCustomizer... customizers) {
    return manager(true, customizers);
  }

  private FreshCacheManager manager(boolean allowNulls, FreshCacheCustomizer... customizers) {
    CacheGroup group = CacheGroup.builder("springtest").bus(bus).build();
    groups.add(group);
    FreshCacheManagerBuilder builder =
        FreshCacheManager.builder(group)
            .allowNullValues(allowNulls)
            .customizer(s -> s.ticker(now::get));
    for (FreshCacheCustomizer c : customizers) {
      builder.customizer(c);
    }
    return builder.build();
  }

  @Test
  void putGetEvictAndClearReachTheOtherInstance() {
    Cache here = manager().getCache("products");
    Cache there = manager().getCache("products");
    here.put(1L, new Product(1, "kettle"));
    there.put(2L, new Product(2, "toaster"));

    assertThat(here.get(1L).get()).isEqualTo(new Product(1, "kettle"));
    assertThat(there.get(1L)).as("a put drops the other instance's copy").isNull();

    there.put(1L, new Product(1, "kettle"));
    here.evict(1L);
    assertThat(there.get(1L)).isNull();

    here.clear();
    assertThat(there.get(2L)).isNull();
  }

  @Test
  void nullsAreCachedAsSpringExpectsWhenAllowed() throws Exception {
    FreshSpringCache cache = manager().getCache("users");
    cache.put("ghost", null);

    assertThat(cache.get("ghost")).isNotNull();
    assertThat(cache.get("ghost").get()).isNull();
    assertThat(cache.get("ghost", String.class)).isNull();
    assertThat(cache.retrieve("ghost").get()).isInstanceOf(Cache.ValueWrapper.class);
    assertThat(cache.get("missing")).isNull();
    assertThat(cache.retrieve("missing")).isNull();
  }

  @Test
  void nullsAreRefusedWhenNotAllowedAndALoadedNullIsNotStored() {
    FreshSpringCache cache = manager(false).getCache("users");

    assertThatThrownBy(() -> cache.put("ghost", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cache 'users' does not cache null values, but null was given: allow them"
                + " (freshcache.caches.users.allow-null-values=true), or add unless ="
                + " \"#result == null\" to the annotation");
    AtomicInteger loads = new AtomicInteger();
    java.util.concurrent.Callable<String> notFound =
        () -> {
          loads.incrementAndGet();
          return null;
        };
    assertThat(cache.get("ghost", notFound)).isNull();
    assertThat(cache.get("ghost", notFound)).isNull();
    assertThat(loads).hasValue(2);
    assertThat(cache.get("ghost")).isNull();
  }

  @Test
  void negativeCachingKeepsANullForItsOwnTtl() {
    FreshSpringCache cache =
        manager(s -> s.expiry(Expiry.ttl(Duration.ofMinutes(10))).nullTtl(Duration.ofSeconds(30)))
            .getCache("users");
    cache.put("ghost", null);
    cache.put("alice", "Alice");

    now.addAndGet(Duration.ofSeconds(31).toNanos());

    assertThat(cache.get("ghost")).as("the null lives 30 s").isNull();
    assertThat(cache.get("alice").get()).as("values live 10 min").isEqualTo("Alice");
  }

  @Test
  void aSyncGetLoadsOnceForConcurrentCallers() throws Exception {
    FreshSpringCache cache = manager().getCache("products");
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    int callers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<Product>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(
            pool.submit(
                () ->
                    cache.get(
                        7L,
                        () -> {
                          loads.incrementAndGet();
                          release.await();
                          return new Product(7, "lamp");
                        })));
      }
      while (cache.getNativeCache().analytics().stats().misses() < callers) {
        Thread.onSpinWait(); // every caller has missed and waits on the one load
      }
      release.countDown();
      for (Future<Product> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new Product(7, "lamp"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
    assertThat(cache.get(7L).get()).isEqualTo(new Product(7, "lamp"));
  }

  @Test
  void aFailingLoaderReachesTheCallerAsSpringsExceptionAndCachesNothing() {
    FreshSpringCache cache = manager().getCache("products");
    Exception down = new java.io.IOException("database down");

    assertThatThrownBy(
            () ->
                cache.get(
                    1L,
                    () -> {
                      throw down;
                    }))
        .isInstanceOf(Cache.ValueRetrievalException.class)
        .hasCause(down);
    assertThat(cache.get(1L)).isNull();
  }

  @Test
  void anAsyncRetrieveLoadsOnceAndCaches() throws Exception {
    FreshSpringCache cache = manager().getCache("products");
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<Product> pending = new CompletableFuture<>();
    CompletableFuture<Product> first =
        cache.retrieve(
            3L,
            () -> {
              loads.incrementAndGet();
              return pending;
            });
    CompletableFuture<Product> second =
        cache.retrieve(
            3L,
            () -> {
              loads.incrementAndGet();
              return pending;
            });
    pending.complete(new Product(3, "fan"));

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new Product(3, "fan"));
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new Product(3, "fan"));
    assertThat(loads).hasValue(1);
    assertThat(cache.retrieve(3L).get()).isInstanceOf(Cache.ValueWrapper.class);
  }

  @Test
  void putIfAbsentStoresOnlyWhenNothingIsThere() {
    FreshSpringCache cache = manager().getCache("products");

    assertThat(cache.putIfAbsent(1L, new Product(1, "a"))).isNull();
    assertThat(cache.putIfAbsent(1L, new Product(1, "b")).get()).isEqualTo(new Product(1, "a"));
    assertThat(cache.get(1L).get()).isEqualTo(new Product(1, "a"));
  }

  @Test
  void keysAreNamedInTheGroupByTheirText() {
    FreshCacheManager manager = manager();

    assertThat(manager.keyName("users", 42L)).isEqualTo("users:42");
    assertThat(manager.keyName("users", new SimpleKey("eu", 7)))
        .isEqualTo("users:SimpleKey [eu, 7]");
    assertThat(manager.keyName("users", new Product(1, "x")))
        .isEqualTo("users:Product[id=1, name=x]");
    assertThatThrownBy(() -> manager.getCache("users").put(new Object(), "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a cache key of type java.lang.Object has no stable name");
  }

  @Test
  void aCacheNameFreshcacheCannotTakeIsRefusedSayingHowToFixIt() {
    FreshCacheManager manager = manager();

    assertThatThrownBy(() -> manager.getCache("user profiles"))
        .isInstanceOf(FreshCacheConfigurationException.class)
        .hasMessage(
            "the cache name \"user profiles\" is not a valid freshcache cache name (1 to 128"
                + " letters, digits and . _ : -, starting with a letter or digit); rename the cache"
                + " where it is declared (@Cacheable, @CacheConfig, @CachePut, @CacheEvict,"
                + " spring.cache.cache-names or freshcache.caches), e.g. \"user-profiles\"");
  }

  @Test
  void aFixedManagerHasOnlyTheCachesNamedUpFront() {
    CacheGroup group = CacheGroup.builder("fixed").build();
    groups.add(group);
    FreshCacheManager manager =
        FreshCacheManager.builder(group).cacheNames("users", "products").dynamic(false).build();

    assertThat(manager.getCacheNames()).containsExactly("users", "products");
    assertThat(manager.getCache("orders")).isNull();
  }

  @Test
  void tagsFromTheValueAreInvalidatedThroughTheInvalidator() {
    FreshCacheManager manager =
        manager(s -> s.tags(Product.class, p -> io.freshcache.Tags.of("product:" + p.id())));
    FreshSpringCache cache = manager.getCache("products");
    cache.put(1L, new Product(1, "kettle"));
    cache.put(2L, new Product(2, "toaster"));
    cache.put(3L, "not a product: no tags");

    FreshCacheInvalidator.of(manager.group()).invalidateTag("product:1");

    assertThat(cache.get(1L)).isNull();
    assertThat(cache.get(2L)).isNotNull();
    assertThat(cache.get(3L)).isNotNull();
  }

  @Test
  void refreshAheadReloadsFromTheSpecsSourceWhileReadersKeepTheOldValue() {
    AtomicInteger version = new AtomicInteger(1);
    FreshSpringCache cache =
        manager(
                s ->
                    s.expiry(Expiry.ttl(Duration.ofMinutes(10)))
                        .refresh(io.freshcache.Refresh.ahead(0.5))
                        .source(key -> key + "-v" + version.get())
                        .executor(Runnable::run))
            .getCache("users");
    assertThat(cache.get("ada", () -> "ada-v1")).isEqualTo("ada-v1");
    version.set(2);

    now.addAndGet(Duration.ofMinutes(6).toNanos());

    assertThat(cache.get("ada").get()).as("the reader gets the old value").isEqualTo("ada-v1");
    assertThat(cache.get("ada").get()).as("reloaded in the background").isEqualTo("ada-v2");
  }

  @Test
  void aRefreshWithoutASourceIsRefusedSayingWhatToAdd() {
    FreshCacheManager manager =
        manager(
            s ->
                s.expiry(Expiry.ttl(Duration.ofMinutes(10)))
                    .refresh(io.freshcache.Refresh.ahead(0.5)));

    assertThatThrownBy(() -> manager.getCache("users"))
        .isInstanceOf(FreshCacheConfigurationException.class)
        .hasMessageEndingWith(
            "give it one with spec.source(key -> ...), or drop spec.refresh(...)");
  }

  record Feed(String owner, long version) {}

  @Test
  void dependenciesFromTheValueCascadeAndOlderVersionsAreRefused() {
    FreshCacheManager manager =
        manager(
            s ->
                s.dependsOn(Feed.class, f -> io.freshcache.DependsOn.keys("users:" + f.owner()))
                    .version(Feed.class, Feed::version));
    FreshSpringCache feeds = manager.getCache("feeds");
    feeds.put("ada", new Feed("ada", 2));

    assertThatThrownBy(() -> feeds.put("ada", new Feed("ada", 1)))
        .isInstanceOf(io.freshcache.VersionConflictException.class);
    assertThat(feeds.get("ada").get()).isEqualTo(new Feed("ada", 2));

    FreshCacheInvalidator.of(manager.group()).invalidateCascade(manager.keyName("users", "ada"));
    assertThat(feeds.get("ada")).as("derived from users:ada").isNull();
  }
}
