package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Concurrent misses on one key cause one source call, under real threads. */
class SingleFlightTest {

  private static final int THREADS = 64;

  private final List<Thread> readerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ExecutorService readers =
      Executors.newFixedThreadPool(
          THREADS,
          task -> {
            Thread thread = new Thread(task);
            readerThreads.add(thread);
            return thread;
          });
  private final ExecutorService loaders = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    readers.shutdownNow();
    loaders.shutdownNow();
  }

  @RepeatedTest(5)
  void sixtyFourConcurrentMissesCauseOneLoadAndAllGetItsValue() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    FreshCache<String, Integer> cache =
        FreshCache.builder("single-flight", String.class, Integer.class)
            .source(
                key -> {
                  // Hold the load until every reader has asked, so all of them overlap with it.
                  release.await(10, TimeUnit.SECONDS);
                  return loads.incrementAndGet();
                })
            .executor(loaders)
            .build();

    CyclicBarrier start = new CyclicBarrier(THREADS);
    AtomicInteger asked = new AtomicInteger();
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      boolean async = i % 2 == 0;
      results.add(
          readers.submit(
              () -> {
                start.await();
                asked.incrementAndGet();
                return async ? cache.async().get("hot").get() : cache.get("hot");
              }));
    }
    while (asked.get() < THREADS || cache.analytics().stats().misses() < THREADS) {
      Thread.onSpinWait();
    }
    release.countDown();

    for (Future<Integer> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }
    assertThat(loads.get()).isEqualTo(1);
    assertThat(cache.analytics().stats().loads()).isEqualTo(1);
  }

  @Test
  void aFailingLoadFailsEveryWaiterWithTheSourcesExceptionAndCachesNothing() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException failure = new IllegalStateException("db down");
    FreshCache<String, Integer> cache =
        FreshCache.builder("single-flight-failure", String.class, Integer.class)
            .source(
                key -> {
                  loads.incrementAndGet();
                  release.await(10, TimeUnit.SECONDS);
                  throw failure;
                })
            .build();

    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<Throwable>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(
          readers.submit(
              () -> {
                start.await();
                try {
                  cache.get("hot");
                  return null;
                } catch (Throwable t) {
                  return t;
                }
              }));
    }
    // Every reader has missed and is parked: the loader on the latch, the others on its flight. (A
    // reader counted as a miss may not have joined the flight yet: wait until none is running.)
    while (cache.analytics().stats().misses() < THREADS || !allParked()) {
      Thread.onSpinWait();
    }
    release.countDown();

    for (Future<Throwable> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(failure);
    }
    assertThat(loads.get()).isEqualTo(1);
    assertThat(cache.getIfPresent("hot")).isNull();
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  void loadsOfDifferentKeysRunInParallel() throws Exception {
    CountDownLatch bothStarted = new CountDownLatch(2);
    FreshCache<String, String> cache =
        FreshCache.builder("parallel", String.class, String.class)
            .source(
                key -> {
                  bothStarted.countDown();
                  // Each load waits for the other to start: only possible if they overlap.
                  if (!bothStarted.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("loads of two keys did not overlap");
                  }
                  return key;
                })
            .build();
    Future<String> a = readers.submit(() -> cache.get("a"));
    Future<String> b = readers.submit(() -> cache.get("b"));
    assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("a");
    assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("b");
  }

  private boolean allParked() {
    return readerThreads.size() == THREADS
        && readerThreads.stream()
            .allMatch(
                t ->
                    t.getState() == Thread.State.WAITING
                        || t.getState() == Thread.State.TIMED_WAITING);
  }
}
