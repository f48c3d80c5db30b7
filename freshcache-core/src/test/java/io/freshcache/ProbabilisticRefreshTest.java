package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import io.freshcache.testing.ManualExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** XFetch: refresh when now − delta·beta·ln(rand) ≥ expiry, delta being the measured load time. */
class ProbabilisticRefreshTest {

  private static final Duration LOAD_TIME = Duration.ofSeconds(2);
  private static final Duration TTL = Duration.ofSeconds(60);

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v");
  private final AtomicReference<Double> rand = new AtomicReference<>(1.0);

  private FreshCache<String, String> cache(double beta) {
    source.duringLoad(() -> ticker.advance(LOAD_TIME)); // each load takes 2 s of cache time
    return FreshCache.builder("xfetch", String.class, String.class)
        .expiry(Expiry.ttl(TTL))
        .refresh(Refresh.probabilistic(beta, rand::get))
        .source(source)
        .ticker(ticker)
        .executor(executor)
        .build();
  }

  @Test
  void aDrawOfOneNeverRefreshesEarly() {
    FreshCache<String, String> cache = cache(1.0);
    cache.get("k");
    ticker.advance(TTL.minusNanos(1));
    cache.get("k");
    assertThat(executor.queued()).isZero();
  }

  @Test
  void refreshesExactlyWhenTheRandomPushReachesExpiry() {
    FreshCache<String, String> cache = cache(1.0);
    cache.get("k"); // written after its 2 s load; expires TTL later
    rand.set(Math.exp(-1)); // −ln(rand) = 1: "now" is pushed by delta·beta = 2 s

    ticker.advance(TTL.minus(LOAD_TIME).minusNanos(1));
    cache.get("k");
    assertThat(executor.queued()).as("1 ns before expiry − delta").isZero();

    ticker.advanceNanos(1);
    cache.get("k");
    assertThat(executor.queued()).as("at expiry − delta").isEqualTo(1);
  }

  @Test
  void largerBetaRefreshesEarlier() {
    FreshCache<String, String> cache = cache(5.0);
    cache.get("k");
    rand.set(Math.exp(-1)); // push = 2 s × 5 = 10 s
    ticker.advance(TTL.minusSeconds(10));
    cache.get("k");
    assertThat(executor.queued()).isEqualTo(1);
  }

  @Test
  void aPutEntryUsesTheCachesMeanLoadTimeAsItsDelta() {
    FreshCache<String, String> cache = cache(1.0);
    cache.get("loaded"); // one load of 2 s: the mean
    cache.put("put", "p");
    rand.set(Math.exp(-1)); // push = mean load time × beta = 2 s
    ticker.advance(TTL.minus(LOAD_TIME));
    cache.get("put");
    assertThat(executor.queued()).isEqualTo(1);
  }

  @Test
  void readersKeepTheOldValueAndOneReloadRuns() {
    FreshCache<String, String> cache = cache(1.0);
    cache.get("k");
    source.set("k", "v2");
    rand.set(1e-9);
    ticker.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 10; i++) {
      assertThat(cache.get("k")).isEqualTo("v");
    }
    assertThat(executor.queued()).isEqualTo(1);
    executor.runAll();
    assertThat(cache.get("k")).isEqualTo("v2");
  }
}
