package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.spi.SharedLookup;
import io.freshcache.spi.SharedTier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An async miss holds no thread while the shared tier answers, and its future completes on the
 * cache's executor, never on the thread that delivered the tier's answer (for Redis, the client's
 * I/O thread, which a caller's blocking stage would stall).
 */
class SharedAsyncMissTest {

  /** Lookups answer only once the gate opens. */
  private static final class SlowTier extends ForwardingSharedTier {
    final CompletableFuture<Void> gate = new CompletableFuture<>();

    SlowTier(SharedTier delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<SharedLookup> lookup(String cache, String key, Duration holdFor) {
      return gate.thenCompose(open -> delegate.lookup(cache, key, holdFor));
    }
  }

  @Test
  void theExecutorRunsOtherWorkWhileTheLookupWaitsForTheTier() throws Exception {
    SlowTier tier = new SlowTier(new InMemorySharedTier());
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    try (CacheGroup group =
        CacheGroup.builder("async").shared(tier).sharedTimeout(Duration.ofSeconds(30)).build()) {
      FreshCache<String, String> cache =
          group
              .cache("c", String.class, String.class)
              .executor(oneThread)
              .source(key -> "v:" + key)
              .build();

      CompletableFuture<String> miss = cache.async().get("k");
      // The executor's one thread is not waiting on the tier: other work runs at once.
      CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> "ran", oneThread);

      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
      assertThat(miss).isNotDone();
      tier.gate.complete(null);
      assertThat(miss.get(10, TimeUnit.SECONDS)).isEqualTo("v:k");
      assertThat(cache.getIfPresent("k")).isEqualTo("v:k");
    } finally {
      oneThread.shutdownNow();
    }
  }

  @Test
  void anAsyncMissWaitsForAnotherInstancesLoadWithoutHoldingAThread() throws Exception {
    InMemorySharedTier tier = new InMemorySharedTier();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger secondLoads = new AtomicInteger();
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    try (CacheGroup a = CacheGroup.builder("elsewhere").shared(tier).build();
        CacheGroup b = CacheGroup.builder("elsewhere").shared(tier).build()) {
      FreshCache<String, String> first =
          a.cache("c", String.class, String.class)
              .source(
                  key -> {
                    loading.countDown();
                    finish.await(10, TimeUnit.SECONDS);
                    return "from-a";
                  })
              .build();
      FreshCache<String, String> second =
          b.cache("c", String.class, String.class)
              .executor(oneThread)
              .source(
                  key -> {
                    secondLoads.incrementAndGet();
                    return "from-b";
                  })
              .build();
      CompletableFuture<String> firstLoad = CompletableFuture.supplyAsync(() -> first.get("k"));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue(); // a holds the lease and loads

      CompletableFuture<String> waiting = second.async().get("k");
      CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> "ran", oneThread);
      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("ran"); // not parked polling
      finish.countDown();

      assertThat(firstLoad.get(10, TimeUnit.SECONDS)).isEqualTo("from-a");
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("from-a");
      assertThat(secondLoads.get()).isZero();
    } finally {
      oneThread.shutdownNow();
    }
  }

  @Test
  void aSharedHitCompletesTheCallersFutureOnTheExecutorNotOnTheTiersThread() throws Exception {
    InMemorySharedTier shared = new InMemorySharedTier();
    SlowTier gated = new SlowTier(shared);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "executor"));
    ExecutorService tierThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "tier-io"));
    try (CacheGroup filler = CacheGroup.builder("where").shared(shared).build();
        CacheGroup reader = CacheGroup.builder("where").shared(gated).build()) {
      FreshCache<String, String> fill =
          filler.cache("c", String.class, String.class).source(key -> "v:" + key).build();
      fill.get("a");
      fill.getAll(List.of("b", "c"));
      FreshCache<String, String> cache =
          reader
              .cache("c", String.class, String.class)
              .executor(executor)
              .source(key -> "source:" + key)
              .build();

      // Stages attached before the tier answers run where the future completes.
      CompletableFuture<String> one = cache.async().get("a").thenApply(v -> v + "@" + thread());
      CompletableFuture<String> all =
          cache
              .async()
              .getAll(List.of("b", "c"))
              .thenApply(m -> m.get("b") + "," + m.get("c") + "@" + thread());
      tierThread.submit(() -> gated.gate.complete(null)).get(10, TimeUnit.SECONDS);

      assertThat(one.get(10, TimeUnit.SECONDS)).isEqualTo("v:a@executor");
      assertThat(all.get(10, TimeUnit.SECONDS)).isEqualTo("v:b,v:c@executor");
      assertThat(cache.getIfPresent("a")).isEqualTo("v:a"); // a shared hit, not a source load
    } finally {
      executor.shutdownNow();
      tierThread.shutdownNow();
    }
  }

  private static String thread() {
    return Thread.currentThread().getName();
  }
}
