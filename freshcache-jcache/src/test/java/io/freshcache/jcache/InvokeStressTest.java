package io.freshcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads increment a few counters through {@code invoke}, mixed with {@code put}s of other
 * keys and {@code replace}s: the checker asks that no increment is lost and that each key's
 * synchronous events form one unbroken history (each update's old value is the value of the event
 * before it, in the order delivered).
 */
class InvokeStressTest {

  private static final int THREADS = 8;
  private static final int ROUNDS = 1_000;
  private static final int KEYS = 4;

  private final CacheManager manager =
      Caching.getCachingProvider()
          .getCacheManager(URI.create("test:stress"), getClass().getClassLoader());

  @AfterEach
  void close() {
    manager.close();
  }

  /** Each key's events as delivered, in order. */
  static final Map<Integer, List<long[]>> HISTORY = new ConcurrentHashMap<>();

  static final class History
      implements CacheEntryCreatedListener<Integer, Long>,
          CacheEntryUpdatedListener<Integer, Long>,
          Serializable {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Long>> events) {
      events.forEach(e -> log(e.getKey(), -1, e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends Integer, ? extends Long>> events) {
      events.forEach(e -> log(e.getKey(), e.getOldValue(), e.getValue()));
    }

    private static void log(int key, long old, long value) {
      HISTORY.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(new long[] {old, value});
    }
  }

  static final class Increment implements EntryProcessor<Integer, Long, Long>, Serializable {
    @Override
    public Long process(javax.cache.processor.MutableEntry<Integer, Long> entry, Object... args) {
      long next = entry.exists() ? entry.getValue() + 1 : 1;
      entry.setValue(next);
      return next;
    }
  }

  @Test
  void noIncrementIsLostAndEachKeysEventsFormOneHistory() throws Exception {
    HISTORY.clear();
    Cache<Integer, Long> cache =
        manager.createCache(
            "counters",
            new MutableConfiguration<Integer, Long>()
                .setTypes(Integer.class, Long.class)
                .addCacheEntryListenerConfiguration(
                    new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(new History()), null, true, true)));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                start.await();
                Increment increment = new Increment();
                for (int i = 0; i < ROUNDS; i++) {
                  cache.invoke(i % KEYS, increment);
                  // noise on keys of their own: creations and conditional replaces
                  int own = 100 + thread;
                  cache.put(own, (long) i);
                  cache.replace(own, (long) i, (long) i + 1);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    long perKey = (long) THREADS * ROUNDS / KEYS;
    for (int key = 0; key < KEYS; key++) {
      assertThat(cache.get(key)).as("counter %d", key).isEqualTo(perKey);
      List<long[]> history = HISTORY.get(key);
      assertThat(history).hasSize((int) perKey);
      long previous = -1;
      for (long[] event : history) {
        assertThat(event[0]).as("old value after %d", previous).isEqualTo(previous);
        assertThat(event[1]).isEqualTo(event[0] == -1 ? 1 : event[0] + 1);
        previous = event[1];
      }
    }
  }
}
