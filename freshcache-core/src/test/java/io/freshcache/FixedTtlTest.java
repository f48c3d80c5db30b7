package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FixedTtlTest {

  private final FakeTicker ticker = new FakeTicker();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v:" + k);

  private FreshCache<String, String> cache(Expiry<Object, Object> expiry) {
    return FreshCache.builder("ttl", String.class, String.class)
        .expiry(expiry)
        .source(source)
        .ticker(ticker)
        .build();
  }

  @Test
  void entryIsFreshUntilTheLastNanosecondOfItsTtlAndReloadedAtIt() {
    FreshCache<String, String> cache = cache(Expiry.ttl(Duration.ofSeconds(10)));
    assertThat(cache.get("a")).isEqualTo("v:a");
    source.set("a", "v2");

    ticker.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(cache.get("a")).isEqualTo("v:a");
    assertThat(source.loads()).isEqualTo(1);

    ticker.advanceNanos(1);
    assertThat(cache.get("a")).isEqualTo("v2");
    assertThat(source.loads()).isEqualTo(2);
    assertThat(cache.analytics().stats().expirations()).isEqualTo(1);
  }

  @Test
  void perEntryTtlOnPutOverridesTheCachePolicy() {
    FreshCache<String, String> cache = cache(Expiry.ttl(Duration.ofHours(1)));
    cache.put("short", "s", Duration.ofSeconds(5));
    cache.put("long", "l");

    ticker.advance(Duration.ofSeconds(5));
    assertThat(cache.getIfPresent("short")).isNull();
    assertThat(cache.getIfPresent("long")).isEqualTo("l");
  }

  @Test
  void perEntryPolicyComputesEachLifetimeFromKeyAndValue() {
    FreshCache<String, String> cache =
        cache(Expiry.perEntry((k, v) -> Duration.ofSeconds(k.toString().length())));
    cache.put("ab", "x");
    cache.put("abcd", "y");

    ticker.advance(Duration.ofSeconds(2));
    assertThat(cache.getIfPresent("ab")).isNull();
    assertThat(cache.getIfPresent("abcd")).isEqualTo("y");
    ticker.advance(Duration.ofSeconds(2));
    assertThat(cache.getIfPresent("abcd")).isNull();
  }

  @Test
  void neverExpiringEntriesSurviveAnyTime() {
    FreshCache<String, String> cache = cache(Expiry.never());
    cache.get("a");
    ticker.advance(Duration.ofDays(365 * 100));
    cache.get("a");
    assertThat(source.loads()).isEqualTo(1);
  }

  @Test
  void boundsClampThePolicysLifetime() {
    FreshCache<String, String> cache =
        cache(Expiry.ttl(Duration.ofHours(1)).bounds(Duration.ZERO, Duration.ofMinutes(1)));
    cache.get("a");
    ticker.advance(Duration.ofMinutes(1));
    cache.get("a");
    assertThat(source.loads()).isEqualTo(2);
  }
}
