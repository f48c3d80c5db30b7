package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Callers' loaders ({@code get(key, loader)}, the async one) and negative caching on the real Redis
 * shared tier: one load across instances whoever's loader runs it, and a "not found" that releases
 * its lease at once. Each group stands for one process, with its own tier connection.
 */
class PerCallLoaderSharedIT {

  private static final AtomicLong NAMESPACES = new AtomicLong();
  private static final int INSTANCES = 4;
  private static final int CALLERS_EACH = 8;

  private final String namespace =
      "loader-" + NAMESPACES.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final ExecutorService callers = Executors.newFixedThreadPool(INSTANCES * CALLERS_EACH);

  @AfterEach
  void cleanUp() throws Exception {
    callers.shutdownNow();
    for (AutoCloseable c : closing) {
      c.close();
    }
    RedisTestSupport.deleteMatching("fctest:{" + namespace + "}*");
  }

  private CacheGroup instance() {
    RedisSharedTier tier =
        RedisSharedTier.builder(RedisTestSupport.URI, namespace)
            .keyPrefix("fctest")
            .commandTimeout(Duration.ofSeconds(2))
            .build();
    closing.add(0, tier);
    CacheGroup group = CacheGroup.builder(namespace).shared(tier).build();
    closing.add(0, group);
    return group;
  }

  @Test
  void concurrentCallersOverFourInstancesWithTheirOwnLoadersCauseOneLoad() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    List<FreshCache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      caches.add(instance().cache("rows", String.class, String.class).build()); // no source
    }
    CyclicBarrier start = new CyclicBarrier(INSTANCES * CALLERS_EACH);
    // The load holds until every caller has asked, so that they all overlap with it.
    CountDownLatch asked = new CountDownLatch(INSTANCES * CALLERS_EACH);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < INSTANCES * CALLERS_EACH; i++) {
      FreshCache<String, String> cache = caches.get(i % INSTANCES);
      boolean async = i % 2 == 0;
      String mine = "from-caller-" + i;
      results.add(
          callers.submit(
              () -> {
                start.await();
                asked.countDown();
                if (async) {
                  return cache
                      .async()
                      .get(
                          "hot",
                          (key, executor) ->
                              CompletableFuture.supplyAsync(
                                  () -> {
                                    loads.incrementAndGet();
                                    await(asked);
                                    return mine;
                                  },
                                  executor))
                      .get(20, TimeUnit.SECONDS);
                }
                return cache.get(
                    "hot",
                    key -> {
                      loads.incrementAndGet();
                      await(asked);
                      return mine;
                    });
              }));
    }
    String first = results.get(0).get(30, TimeUnit.SECONDS);
    for (Future<String> result : results) {
      assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(first);
    }
    assertThat(loads.get()).isEqualTo(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aNotFoundIsNotSharedAndHandsItsLeaseOn() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    List<FreshCache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      caches.add(
          instance()
              .cache("rows", String.class, String.class)
              .negativeCaching(Duration.ofMinutes(1))
              .source(
                  key -> {
                    loads.incrementAndGet();
                    return null;
                  })
              .build());
    }
    assertThat(caches.get(0).get("absent")).isNull();
    // The second instance finds no entry and no lease held: it asks its own source, once.
    assertThat(caches.get(1).get("absent")).isNull();
    assertThat(caches.get(1).get("absent")).isNull();
    assertThat(caches.get(0).get("absent")).isNull();
    assertThat(loads.get()).isEqualTo(2);
  }
}
