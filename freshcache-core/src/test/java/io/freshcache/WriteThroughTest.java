package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteThroughTest {

  private final Map<String, Long> table = new ConcurrentHashMap<>();

  /**
   * Many writers and readers on few keys: whatever the interleaving, once they stop, the cache
   * holds exactly what the source holds for every key. Without the per-key ordering a slower writer
   * can put its older value into the cache after a newer one reached both.
   */
  @Test
  void concurrentWritersNeverLeaveTheOlderValueCached() throws Exception {
    FreshCache<String, Long> cache =
        FreshCache.builder("through", String.class, Long.class)
            .source(table::get)
            .writes(
                Writes.through(
                    (key, value) -> {
                      if (ThreadLocalRandom.current().nextInt(4) == 0) {
                        Thread.yield(); // widen the window between source and cache
                      }
                      table.put(key, value);
                    }))
            .build();
    List<String> keys = List.of("a", "b", "c");
    keys.forEach(k -> table.put(k, 0L));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int i = 0; i < 5_000; i++) {
                    String key = keys.get(random.nextInt(keys.size()));
                    if (random.nextInt(3) == 0) {
                      cache.get(key);
                    } else {
                      cache.put(key, (long) (id * 1_000_000 + i));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (String key : keys) {
      assertThat(cache.getIfPresent(key))
          .as("cache vs source for %s", key)
          .isEqualTo(table.get(key));
    }
  }

  @Test
  void aSourceFailureReachesTheCallerAndLeavesTheCacheUnchanged() {
    FreshCache<String, Long> cache =
        FreshCache.builder("through-failing", String.class, Long.class)
            .writes(
                Writes.through(
                    (key, value) -> {
                      throw new java.sql.SQLException("constraint violated");
                    }))
            .build();
    assertThatThrownBy(() -> cache.put("k", 1L))
        .isInstanceOf(CacheWriteException.class)
        .hasMessage(
            "cache 'through-failing': the source refused the write of k (its writer threw);"
                + " nothing was stored, in the cache or in the source")
        .hasRootCauseMessage("constraint violated");
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void writeAroundInvalidatesInsteadOfCaching() {
    table.put("k", 1L);
    FreshCache<String, Long> cache =
        FreshCache.builder("around", String.class, Long.class)
            .source(table::get)
            .writes(Writes.around(table::put))
            .build();
    cache.get("k");
    cache.put("k", 2L);
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k")).isEqualTo(2L);
  }
}
