package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code get(key, loader)}: a caller's loader takes the path of the cache's source — one flight per
 * key, the shared tier's lease, the guard against invalidations during the load, the same errors.
 */
class PerCallLoaderTest {

  private static final int THREADS = 16;

  private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static FreshCache<String, String> noSource(String name) {
    return FreshCache.builder(name, String.class, String.class).build();
  }

  @Test
  void aCacheWithoutSourceLoadsWithTheCallersLoaderAndCachesTheValue() {
    FreshCache<String, String> cache = noSource("loader-no-source");
    AtomicInteger loads = new AtomicInteger();
    Source<String, String> loader =
        key -> {
          loads.incrementAndGet();
          return "v:" + key;
        };

    assertThat(cache.get("k", loader)).isEqualTo("v:k");
    assertThat(cache.get("k", loader)).isEqualTo("v:k");
    assertThat(cache.get("k")).isEqualTo("v:k"); // a hit needs no source
    assertThat(loads.get()).isEqualTo(1);
    assertThatThrownBy(() -> cache.get("other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no source")
        .hasMessageContaining("get(key, loader)");
  }

  @Test
  void aHitNeverCallsTheLoaderAndTheLoaderIsUsedInsteadOfTheSource() {
    AtomicInteger sourceLoads = new AtomicInteger();
    FreshCache<String, String> cache =
        FreshCache.builder("loader-over-source", String.class, String.class)
            .source(
                key -> {
                  sourceLoads.incrementAndGet();
                  return "source";
                })
            .build();

    assertThat(cache.get("k", key -> "loader")).isEqualTo("loader");
    assertThat(cache.get("k")).isEqualTo("loader");
    assertThat(cache.get("k", key -> "other loader")).isEqualTo("loader");
    assertThat(sourceLoads.get()).isZero();
  }

  @Test
  void concurrentCallersWithDifferentLoadersShareOneLoad() throws Exception {
    FreshCache<String, Integer> cache =
        FreshCache.builder("loader-single-flight", String.class, Integer.class).build();
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int caller = i;
      Source<String, Integer> loader =
          key -> {
            loads.incrementAndGet();
            release.await(10, TimeUnit.SECONDS);
            return caller; // each loader would answer differently
          };
      results.add(
          threads.submit(
              () -> {
                start.await();
                return caller % 2 == 0
                    ? cache.get("hot", loader)
                    : cache
                        .async()
                        .get(
                            "hot",
                            (key, executor) ->
                                CompletableFuture.supplyAsync(
                                    () -> {
                                      try {
                                        return loader.load(key);
                                      } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                      }
                                    },
                                    executor))
                        .get(10, TimeUnit.SECONDS);
              }));
    }
    while (cache.analytics().stats().misses() < THREADS) {
      Thread.onSpinWait();
    }
    release.countDown();

    Integer first = results.get(0).get(10, TimeUnit.SECONDS);
    for (Future<Integer> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(first);
    }
    assertThat(loads.get()).isEqualTo(1);
    assertThat(cache.getIfPresent("hot")).isEqualTo(first);
  }

  @Test
  void aFailingLoaderFailsAsTheSourceWouldAndCachesNothing() {
    FreshCache<String, String> cache = noSource("loader-failure");
    IllegalStateException unchecked = new IllegalStateException("db down");
    IOException checked = new IOException("socket closed");

    assertThatThrownBy(
            () ->
                cache.get(
                    "k",
                    key -> {
                      throw unchecked;
                    }))
        .isSameAs(unchecked);
    assertThatThrownBy(
            () ->
                cache.get(
                    "k",
                    key -> {
                      throw checked;
                    }))
        .isInstanceOf(CacheLoadException.class)
        .hasCause(checked);
    assertThatThrownBy(() -> cache.get("k", key -> null))
        .isInstanceOf(CacheLoadException.class)
        .hasMessageContaining("returned null for key k");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.analytics().stats().loadFailures()).isEqualTo(3);
  }

  @Test
  void aFailingAsyncLoaderFailsTheFuture() {
    AsyncFreshCache<String, String> cache = noSource("async-loader-failure").async();
    IllegalStateException failure = new IllegalStateException("db down");

    CompletableFuture<String> thrown =
        cache.get(
            "a",
            (key, executor) -> {
              throw failure;
            });
    CompletableFuture<String> failed =
        cache.get("b", (key, executor) -> CompletableFuture.failedFuture(failure));
    CompletableFuture<String> noFuture = cache.get("c", (key, executor) -> null);
    CompletableFuture<String> nullValue =
        cache.get("d", (key, executor) -> CompletableFuture.completedFuture(null));

    assertThatThrownBy(() -> thrown.get(10, TimeUnit.SECONDS)).hasCause(failure);
    assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).hasCause(failure);
    assertThatThrownBy(() -> noFuture.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage(
            "cache 'async-loader-failure': the loader returned no future for key c");
    assertThatThrownBy(() -> nullValue.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CacheLoadException.class);
    assertThat(cache.synchronous().estimatedSize()).isZero();
  }

  @Test
  void anAsyncLoaderCompletingLaterFillsTheCache() throws Exception {
    FreshCache<String, String> cache = noSource("async-loader");
    CompletableFuture<String> row = new CompletableFuture<>();

    CompletableFuture<String> result = cache.async().get("k", (key, executor) -> row);
    assertThat(result).isNotDone();
    row.complete("v");

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(cache.getIfPresent("k")).isEqualTo("v");
  }

  @Test
  void anInvalidationDuringTheLoaderKeepsItsValueOut() throws Exception {
    FreshCache<String, String> cache = noSource("loader-guard");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Future<String> reader =
        threads.submit(
            () ->
                cache.get(
                    "k",
                    key -> {
                      loading.countDown();
                      finish.await(10, TimeUnit.SECONDS);
                      return "old";
                    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

    cache.invalidate("k");
    finish.countDown();

    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("old"); // it asked before
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.analytics().stats().voidedLoads()).isEqualTo(1);
    assertThat(cache.get("k", key -> "new")).isEqualTo("new");
  }

  @Test
  void anInvalidationDuringAnAsyncLoaderKeepsItsValueOut() throws Exception {
    FreshCache<String, String> cache = noSource("async-loader-guard");
    CompletableFuture<String> row = new CompletableFuture<>();
    CompletableFuture<String> result = cache.async().get("k", (key, executor) -> row);
    while (cache.analytics().stats().misses() < 1) {
      Thread.onSpinWait();
    }

    cache.put("k", "newer");
    row.complete("old");

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    assertThat(cache.getIfPresent("k")).isEqualTo("newer");
  }

  @Test
  void acrossTwoInstancesWithASharedTierOnlyOneLoaderRuns() throws Exception {
    InMemorySharedTier tier = new InMemorySharedTier();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger secondLoads = new AtomicInteger();
    try (CacheGroup a = CacheGroup.builder("loaders").shared(tier).build();
        CacheGroup b = CacheGroup.builder("loaders").shared(tier).build()) {
      FreshCache<String, String> first = a.cache("c", String.class, String.class).build();
      FreshCache<String, String> second = b.cache("c", String.class, String.class).build();

      Future<String> firstLoad =
          threads.submit(
              () ->
                  first.get(
                      "k",
                      key -> {
                        loading.countDown();
                        finish.await(10, TimeUnit.SECONDS);
                        return "from-a";
                      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue(); // a holds the lease and loads
      Future<String> waiting =
          threads.submit(
              () ->
                  second.get(
                      "k",
                      key -> {
                        secondLoads.incrementAndGet();
                        return "from-b";
                      }));
      finish.countDown();

      assertThat(firstLoad.get(10, TimeUnit.SECONDS)).isEqualTo("from-a");
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("from-a");
      assertThat(secondLoads.get()).isZero();
      assertThat(second.async().get("k", (key, executor) -> CompletableFuture.completedFuture("x")))
          .isCompletedWithValue("from-a");
    }
  }
}
