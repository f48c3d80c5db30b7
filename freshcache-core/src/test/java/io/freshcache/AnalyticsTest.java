package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.stats.CacheStats;
import io.freshcache.stats.KeyAnalytics;
import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnalyticsTest {

  private final FakeTicker ticker = new FakeTicker();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v:" + k);

  private FreshCacheBuilder<String, String> builder(String name) {
    return FreshCache.builder(name, String.class, String.class)
        .expiry(Expiry.ttl(Duration.ofSeconds(60)))
        .source(source)
        .ticker(ticker);
  }

  @Test
  void perKeyAnalyticsDescribeTheEntry() {
    source.duringLoad(() -> ticker.advance(Duration.ofMillis(5)));
    FreshCache<String, String> cache = builder("per-key").build();
    cache.get("k");
    ticker.advance(Duration.ofSeconds(10));
    cache.get("k");
    cache.get("k");
    ticker.advance(Duration.ofSeconds(10));
    cache.get("k");
    ticker.advance(Duration.ofSeconds(5));

    KeyAnalytics<String> k = cache.analytics().key("k").orElseThrow();
    assertThat(k.key()).isEqualTo("k");
    assertThat(k.age()).isEqualTo(Duration.ofSeconds(25));
    assertThat(k.ttlRemaining()).isEqualTo(Duration.ofSeconds(35));
    assertThat(k.fresh()).isTrue();
    assertThat(k.accessCount()).isEqualTo(3);
    assertThat(k.sinceLastAccess()).isEqualTo(Duration.ofSeconds(5));
    assertThat(k.writes()).isEqualTo(1);
    assertThat(k.hitRateEstimate()).isEqualTo(0.75);
    assertThat(k.readsPerSecond()).isEqualTo(3 / 25.0);
    assertThat(cache.analytics().key("absent")).isEmpty();
  }

  @Test
  void cacheCountersCountWhatHappened() {
    source.duringLoad(() -> ticker.advance(Duration.ofMillis(4)));
    FreshCache<String, String> cache = builder("counters").maximumSize(10).build();
    cache.get("a"); // miss + load
    cache.get("a"); // hit
    cache.getIfPresent("nope"); // miss, no load
    source.failWith(new IllegalStateException("down"));
    assertThatThrownBy(() -> cache.get("b")).hasMessage("down"); // miss + failed load
    source.failWith(null);
    cache.invalidate("a");
    for (int i = 0; i < 30; i++) {
      cache.put("p" + i, "v");
    }
    ticker.advance(Duration.ofSeconds(61));
    cache.getIfPresent("p29"); // expired

    CacheStats stats = cache.analytics().stats();
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(4);
    assertThat(stats.loadSuccesses()).isEqualTo(1);
    assertThat(stats.loadFailures()).isEqualTo(1);
    assertThat(stats.averageLoadTime()).isEqualTo(Duration.ofMillis(4));
    assertThat(stats.invalidations()).isEqualTo(1);
    assertThat(stats.evictions()).isEqualTo(20);
    assertThat(stats.expirations()).isGreaterThanOrEqualTo(1);
    assertThat(stats.hitRatio()).isEqualTo(1 / 5.0);
  }

  @Test
  void hottestListsTheMostReadEntriesFirst() {
    FreshCache<String, String> cache = builder("hottest").build();
    for (int i = 0; i < 5; i++) {
      cache.get("warm");
    }
    for (int i = 0; i < 9; i++) {
      cache.get("hot");
    }
    cache.get("cold");
    assertThat(cache.analytics().hottest(2))
        .extracting(KeyAnalytics::key)
        .containsExactly("hot", "warm");
  }

  @Test
  void micrometerMetersFollowTheCountersAndLeaveOnClose() {
    source.duringLoad(() -> ticker.advance(Duration.ofMillis(3)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FreshCache<String, String> cache = builder("metered").metrics(registry).build();
    cache.get("a");
    cache.get("a");
    cache.get("a");

    assertThat(
            registry
                .get("freshcache.cache.gets")
                .tag("cache", "metered")
                .tag("result", "hit")
                .functionCounter()
                .count())
        .isEqualTo(2.0);
    assertThat(
            registry.get("freshcache.cache.gets").tag("result", "miss").functionCounter().count())
        .isEqualTo(1.0);
    FunctionTimer loads = registry.get("freshcache.cache.load.duration").functionTimer();
    assertThat(loads.count()).isEqualTo(1.0);
    assertThat(loads.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
    assertThat(registry.get("freshcache.cache.size").gauge().value()).isEqualTo(1.0);

    cache.close();
    assertThat(registry.find("freshcache.cache.gets").meters()).isEmpty();
  }
}
