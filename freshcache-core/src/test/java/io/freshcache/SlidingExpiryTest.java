package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlidingExpiryTest {

  private final FakeTicker ticker = new FakeTicker();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v:" + k);
  private final FreshCache<String, String> cache =
      FreshCache.builder("sliding", String.class, String.class)
          .expiry(Expiry.sliding(Duration.ofSeconds(10), Duration.ofSeconds(35)))
          .source(source)
          .ticker(ticker)
          .build();

  @Test
  void anEntryNotReadExpiresAfterTheIdleTime() {
    cache.get("a");
    ticker.advance(Duration.ofSeconds(10));
    cache.get("a");
    assertThat(source.loads()).isEqualTo(2);
  }

  @Test
  void readsExtendTheEntry() {
    cache.get("a");
    for (int i = 0; i < 3; i++) {
      ticker.advance(Duration.ofSeconds(9));
      cache.get("a"); // t = 9, 18, 27: each read gives another 10 s
    }
    assertThat(source.loads()).isEqualTo(1);
  }

  @Test
  void theCapEndsEvenAConstantlyReadEntry() {
    cache.get("a");
    for (int i = 0; i < 3; i++) {
      ticker.advance(Duration.ofSeconds(9));
      cache.get("a");
    }
    // at t = 27 the read extended to min(27 + 10, cap 35) = 35
    ticker.advance(Duration.ofSeconds(8).minusNanos(1));
    cache.get("a");
    assertThat(source.loads()).isEqualTo(1);
    ticker.advanceNanos(1); // t = 35: the cap
    cache.get("a");
    assertThat(source.loads()).isEqualTo(2);
  }

  @Test
  void analyticsDoNotCountAsReads() {
    cache.get("a");
    ticker.advance(Duration.ofSeconds(9));
    cache.analytics().key("a");
    ticker.advance(Duration.ofSeconds(1));
    cache.get("a");
    assertThat(source.loads()).isEqualTo(2);
  }
}
