package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A healthy fleet under steady traffic is never suspended: the proofs of delivery keep up with δ on
 * a loaded two-core machine. The run lasts 30 s in the suite; {@code -Dfreshcache.calm.seconds=600}
 * runs it for ten minutes.
 */
class HealthyFleetIT {

  private static final Duration DELTA = Duration.ofMillis(200);

  /** Readers that never pause: the host's cores are busy, as a service's under load are. */
  private static final boolean HOT = Boolean.getBoolean("freshcache.calm.hot");

  @Test
  void steadyTrafficOnAHealthyHostCausesNoSuspension() throws Exception {
    long seconds = Long.getLong("freshcache.calm.seconds", 30);
    String namespace = "calm-" + System.nanoTime();
    List<AutoCloseable> closing = new ArrayList<>();
    List<CacheGroup> groups = new ArrayList<>();
    List<RedisBus> buses = new ArrayList<>();
    List<FreshCache<String, String>> caches = new ArrayList<>();
    try (PrivateRedis redis = new PrivateRedis()) {
      for (int i = 0; i < 3; i++) {
        RedisBus bus =
            RedisBus.builder(redis.uri(), namespace)
                .keyPrefix("calmtest")
                .stalenessBound(DELTA)
                .build();
        CacheGroup group = CacheGroup.builder(namespace).bus(bus).instanceId("calm-" + i).build();
        closing.add(0, bus);
        closing.add(0, group);
        buses.add(bus);
        groups.add(group);
        caches.add(
            group
                .cache("items", String.class, String.class)
                .keyPrefix("item:")
                .source(key -> "v")
                .build());
      }
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (FreshCache<String, String> cache : caches) {
        threads.add(
            start(
                () -> {
                  while (!stop.get()) {
                    cache.get(Integer.toString(ThreadLocalRandom.current().nextInt(100)));
                    if (!HOT) {
                      LockSupport.parkNanos(50_000);
                    }
                  }
                }));
      }
      threads.add(
          start(
              () -> {
                long n = 0;
                while (!stop.get()) {
                  caches
                      .get((int) (n++ % caches.size()))
                      .put(Integer.toString(ThreadLocalRandom.current().nextInt(100)), "v");
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // 50 writes a second
                }
              }));
      TimeUnit.SECONDS.sleep(seconds); // the length of the run, not a wait for something to happen
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      for (int i = 0; i < groups.size(); i++) {
        System.out.printf(
            "healthy fleet, instance %d, %d s: suspensions %d, heartbeats %d, applied %d, lag"
                + " %s%n",
            i,
            seconds,
            groups.get(i).stats().suspensions(),
            buses.get(i).heartbeats(),
            groups.get(i).stats().applied(),
            groups.get(i).stats().lag());
      }
      for (int i = 0; i < groups.size(); i++) {
        assertThat(buses.get(i).heartbeats()).isPositive();
        assertThat(groups.get(i).stats().applied()).isPositive();
        assertThat(groups.get(i).stats().suspensions()).as("suspensions of instance " + i).isZero();
      }
    } finally {
      for (AutoCloseable c : closing) {
        c.close();
      }
    }
  }

  private static Thread start(Runnable body) {
    Thread thread = new Thread(body, "calm-traffic");
    thread.start();
    return thread;
  }
}
