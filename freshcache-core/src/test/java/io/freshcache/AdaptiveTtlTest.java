package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveTtlTest {

  private static final Duration BASE = Duration.ofMinutes(10);

  private final FakeTicker ticker = new FakeTicker();

  private FreshCache<String, String> cache(Expiry<Object, Object> expiry) {
    return FreshCache.builder("adaptive", String.class, String.class)
        .expiry(expiry)
        .source(new CountingSource<>(k -> "v:" + k))
        .ticker(ticker)
        .build();
  }

  private static Duration ttlOf(FreshCache<String, String> cache, String key) {
    return cache.analytics().key(key).orElseThrow().ttlRemaining();
  }

  @Test
  void aKeyReadOftenGetsALongerTtlThanAKeyReadRarely() {
    FreshCache<String, String> cache = cache(Expiry.adaptive(BASE).volatility(0.2));
    cache.get("cold");
    for (int i = 0; i < 50; i++) {
      cache.get("hot");
      ticker.advance(Duration.ofMillis(100)); // 10 reads a second
    }
    cache.invalidate("hot");
    cache.invalidate("cold");
    cache.get("hot");
    cache.get("cold");

    assertThat(ttlOf(cache, "hot")).isGreaterThan(ttlOf(cache, "cold").multipliedBy(2));
  }

  @Test
  void hitsCountInTheRateWhenTheirEntryExpiresToo() {
    // Hits are counted on the entry, not in the rate table; an entry that expires (no
    // invalidation) still hands its reads to the key's rate before the reload is judged.
    Duration base = Duration.ofSeconds(20); // lifetimes up to 40 s, well inside the rate's window
    FreshCache<String, String> cache = cache(Expiry.adaptive(base).volatility(0.2));
    cache.get("cold");
    for (int i = 0; i < 50; i++) {
      cache.get("hot");
      ticker.advance(Duration.ofMillis(100)); // 10 reads a second
    }
    ticker.advance(base.multipliedBy(2).plusSeconds(1)); // past the longest lifetime: both expired
    cache.get("hot");
    cache.get("cold");

    assertThat(ttlOf(cache, "hot")).isGreaterThan(ttlOf(cache, "cold").multipliedBy(2));
  }

  @Test
  void aHotKeysRateStaysRightOnceItsHitsAreSampled() {
    // Beyond 1,024 reads of one entry, its hits count in the key's rate by sampling (a hot key's
    // hits rarely pay the rate's lookup): the TTL it reloads with is what the exact count gives.
    Expiry<Object, Object> expiry = Expiry.adaptive(BASE).volatility(0.2).hotRate(500);
    FreshCache<String, String> sampled = cache(expiry);
    sampled.get("hot");
    for (int i = 0; i < 200_000; i++) {
      sampled.get("hot");
      ticker.advanceNanos(1_000_000); // 1,000 reads a second, for 200 s
    }
    sampled.invalidate("hot");
    sampled.get("hot");
    double rate = 200_001 / 200.0;
    long exact = expiry.freshFor("hot", "v:hot", rate);

    assertThat((double) ttlOf(sampled, "hot").toNanos()).isBetween(exact * 0.95, exact * 1.05);
  }

  @Test
  void moreVolatileDataGetsAShorterTtl() {
    Duration stable = lifetimeAtVolatility(0.0);
    Duration medium = lifetimeAtVolatility(0.5);
    Duration volatileData = lifetimeAtVolatility(1.0);
    assertThat(stable).isGreaterThan(medium);
    assertThat(medium).isGreaterThan(volatileData);
  }

  private Duration lifetimeAtVolatility(double volatility) {
    FreshCache<String, String> cache = cache(Expiry.adaptive(BASE).volatility(volatility));
    cache.get("k");
    return ttlOf(cache, "k");
  }

  @Test
  void followsTheDocumentedFormulaAtTheExtremes() {
    AdaptiveTtl<Object, Object> policy = Expiry.adaptive(BASE).volatility(1.0);
    // never read, fully volatile: base × 0.5 × 0.25 = base / 8, which is also the default floor
    assertThat(policy.freshFor("k", "v", 0.0)).isEqualTo(BASE.toNanos() / 8);
    AdaptiveTtl<Object, Object> stable = Expiry.adaptive(BASE).volatility(0.0);
    // read at the hot rate (f = 0.5): base × 1.25
    assertThat(stable.freshFor("k", "v", 1.0)).isEqualTo(BASE.toNanos() * 5 / 4);
    // read far above it: approaches 2 × base, the default ceiling
    assertThat(stable.freshFor("k", "v", 1e9))
        .isBetween(BASE.toNanos() * 19 / 10, 2 * BASE.toNanos());
  }

  @Test
  void staysWithinItsBounds() {
    Duration min = Duration.ofMinutes(5);
    Duration max = Duration.ofMinutes(12);
    AdaptiveTtl<Object, Object> policy = Expiry.adaptive(BASE).volatility(0.0).bounds(min, max);
    assertThat(policy.freshFor("k", "v", 1e9)).isEqualTo(max.toNanos());
    AdaptiveTtl<Object, Object> volatileOne =
        Expiry.adaptive(BASE).volatility(1.0).bounds(min, max);
    assertThat(volatileOne.freshFor("k", "v", 0.0)).isEqualTo(min.toNanos());
  }

  @Test
  void volatilityMayBeDeclaredPerKey() {
    FreshCache<String, String> cache =
        cache(Expiry.adaptive(BASE).volatility(k -> k.toString().startsWith("price:") ? 0.9 : 0.1));
    cache.get("price:1");
    cache.get("name:1");
    assertThat(ttlOf(cache, "name:1")).isGreaterThan(ttlOf(cache, "price:1"));
  }
}
