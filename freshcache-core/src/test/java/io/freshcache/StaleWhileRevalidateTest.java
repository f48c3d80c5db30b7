package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import io.freshcache.testing.ManualExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StaleWhileRevalidateTest {

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v1");
  private final FreshCache<String, String> cache =
      FreshCache.builder("swr", String.class, String.class)
          .expiry(Expiry.ttl(Duration.ofSeconds(10)))
          .refresh(Refresh.none().staleWhileRevalidate(Duration.ofSeconds(5)))
          .source(source)
          .ticker(ticker)
          .executor(executor)
          .build();

  @Test
  void withinTheWindowAnExpiredEntryIsServedAtOnceWhileOneReloadRuns() {
    cache.get("k");
    source.set("k", "v2");
    ticker.advance(Duration.ofSeconds(10));

    for (int i = 0; i < 20; i++) {
      assertThat(cache.get("k")).isEqualTo("v1");
    }
    assertThat(executor.queued()).isEqualTo(1);
    assertThat(cache.analytics().stats().staleHits()).isEqualTo(20);

    executor.runAll();
    assertThat(cache.get("k")).isEqualTo("v2");
  }

  @Test
  void pastTheWindowAnExpiredEntryIsAMissThatWaitsForTheSource() {
    cache.get("k");
    source.set("k", "v2");
    ticker.advance(Duration.ofSeconds(15));
    assertThat(cache.get("k")).isEqualTo("v2"); // blocking get loads on the caller's thread
    assertThat(executor.queued()).isZero();
    assertThat(cache.analytics().stats().staleHits()).isZero();
  }

  @Test
  void beforeExpiryNothingIsRefreshed() {
    cache.get("k");
    ticker.advance(Duration.ofSeconds(9));
    cache.get("k");
    assertThat(executor.queued()).isZero();
  }
}
