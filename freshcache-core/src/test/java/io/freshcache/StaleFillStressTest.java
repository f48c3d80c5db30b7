package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The invalidate-versus-load race under real threads, with a history checker: a writer bumps the
 * source's version and invalidates; readers record, for every read, the newest version whose
 * invalidation had returned before the read started. No read may return an older version. Without
 * the lease guard in {@code LocalCache.fill} this fails within a few thousand rounds.
 */
class StaleFillStressTest {

  private static final int ROUNDS = 20_000;

  @RepeatedTest(3)
  void noReadStartingAfterAnInvalidationReturnsAnOlderValue() throws Exception {
    AtomicLong source = new AtomicLong();
    AtomicLong invalidated = new AtomicLong();
    FreshCache<String, Long> cache =
        FreshCache.builder("stress", String.class, Long.class)
            .source(
                key -> {
                  long value = source.get();
                  Thread.yield(); // let the writer slip in between the read and the fill
                  return value;
                })
            .build();
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> readers = new ArrayList<>();
    try {
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  while (running.get()) {
                    long floor = invalidated.get();
                    long seen = cache.get("k");
                    if (seen < floor) {
                      violations.add("read " + seen + " after invalidation of version " + floor);
                    }
                  }
                }));
      }
      for (long v = 1; v <= ROUNDS; v++) {
        source.set(v);
        cache.invalidate("k");
        invalidated.set(v);
      }
    } finally {
      running.set(false);
      for (Future<?> reader : readers) {
        reader.get(30, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
    }
    assertThat(violations).isEmpty();
    assertThat(cache.get("k")).isEqualTo(ROUNDS);
  }

  /**
   * The same race through callers' loaders (blocking and async) and explicit refreshes: their fills
   * take the same lease, so the same checker holds.
   */
  @RepeatedTest(3)
  void loadersAndRefreshesNeverFillAnInvalidatedValue() throws Exception {
    AtomicLong source = new AtomicLong();
    AtomicLong invalidated = new AtomicLong();
    Source<String, Long> read =
        key -> {
          long value = source.get();
          Thread.yield(); // let the writer slip in between the read and the fill
          return value;
        };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    FreshCache<String, Long> cache =
        FreshCache.builder("stress-loaders", String.class, Long.class)
            .source(read)
            .executor(pool)
            .build();
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    List<Future<?>> workers = new ArrayList<>();
    try {
      workers.add(
          pool.submit(
              () -> {
                while (running.get()) {
                  long floor = invalidated.get();
                  long seen = cache.get("k", read);
                  if (seen < floor) {
                    violations.add("loader read " + seen + " after invalidation of " + floor);
                  }
                }
              }));
      workers.add(
          pool.submit(
              () -> {
                while (running.get()) {
                  long floor = invalidated.get();
                  long seen =
                      cache
                          .async()
                          .get(
                              "k",
                              (key, executor) ->
                                  CompletableFuture.supplyAsync(
                                      () -> {
                                        long value = source.get();
                                        Thread.yield();
                                        return value;
                                      },
                                      executor))
                          .join();
                  if (seen < floor) {
                    violations.add("async loader read " + seen + " after invalidation of " + floor);
                  }
                }
              }));
      workers.add(
          pool.submit(
              () -> {
                while (running.get()) {
                  cache.refresh("k").join();
                }
              }));
      for (long v = 1; v <= ROUNDS; v++) {
        source.set(v);
        cache.invalidate("k");
        invalidated.set(v);
      }
    } finally {
      running.set(false);
      for (Future<?> worker : workers) {
        worker.get(30, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
    }
    assertThat(violations).isEmpty();
    assertThat(cache.get("k")).isEqualTo(ROUNDS);
  }
}
