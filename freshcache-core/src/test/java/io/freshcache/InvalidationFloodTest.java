package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a publisher that floods the bus with invalidations of a hot key costs a victim instance:
 * single-flight bounds its source loads by the number of invalidations it received, plus one,
 * however many threads read the key.
 */
class InvalidationFloodTest {

  private static final int READERS = 4;
  private static final int INVALIDATIONS = 2_000;

  @Test
  void aFloodOfInvalidationsCostsAtMostOneLoadPerInvalidationReceived() throws Exception {
    InProcessBus bus = new InProcessBus();
    AtomicInteger loads = new AtomicInteger();
    try (CacheGroup victim = CacheGroup.builder("flood").bus(bus).instanceId("victim").build();
        CacheGroup attacker = CacheGroup.builder("flood").bus(bus).instanceId("attacker").build()) {
      FreshCache<String, String> cache =
          victim
              .cache("users", String.class, String.class)
              .source(
                  key -> {
                    loads.incrementAndGet();
                    TimeUnit.MICROSECONDS.sleep(200); // a source that takes a little while
                    return "v";
                  })
              .build();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger reads = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        Thread reader =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    cache.get("hot");
                    reads.incrementAndGet();
                  }
                });
        reader.start();
        threads.add(reader);
      }
      for (int i = 0; i < INVALIDATIONS; i++) {
        attacker.invalidateKeys("hot");
      }
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      long received = victim.stats().applied();
      System.out.printf(
          "flood: %d invalidations received, %d reads by %d threads, %d source loads (%.2f per"
              + " invalidation)%n",
          received, reads.get(), READERS, loads.get(), loads.get() / (double) received);
      assertThat(received).isEqualTo(INVALIDATIONS);
      // Each load after the first needs an invalidation since the one before it started.
      assertThat(loads.get()).isLessThanOrEqualTo(INVALIDATIONS + 1);
    }
  }
}
