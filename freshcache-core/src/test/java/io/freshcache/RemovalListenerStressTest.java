package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Every value that was stored is told to the removal listener exactly once, whatever races between
 * puts, invalidations, clears and size evictions on a few keys. Each put writes a unique value;
 * once the cache is cleared at the end, the checker compares what was told with what was put.
 */
class RemovalListenerStressTest {

  private static final int THREADS = 4;
  private static final int PUTS_EACH = 5_000;

  @RepeatedTest(3)
  void everyStoredValueIsToldExactlyOnce() throws Exception {
    Map<String, AtomicInteger> told = new ConcurrentHashMap<>();
    FreshCache<String, String> cache =
        FreshCache.builder("removal-stress", String.class, String.class)
            .maximumSize(3)
            .removalListener(
                (key, value, cause) ->
                    told.computeIfAbsent(value, v -> new AtomicInteger()).incrementAndGet())
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < PUTS_EACH; i++) {
                    String key = "k" + (i % 5);
                    cache.put(key, thread + ":" + i);
                    if (i % 7 == thread) {
                      cache.invalidate(key);
                    }
                    if (i % 1_000 == 999) {
                      cache.invalidateAll();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    cache.invalidateAll();
    cache.estimatedSize(); // finishes the upkeep: every eviction has been told

    List<String> twice = new ArrayList<>();
    told.forEach(
        (value, count) -> {
          if (count.get() != 1) {
            twice.add(value + " x" + count.get());
          }
        });
    assertThat(twice).isEmpty();
    assertThat(told).hasSize(THREADS * PUTS_EACH);
  }
}
