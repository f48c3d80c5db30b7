package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

class JitterProperties {

  private static long ttlRemainingNanos(FreshCache<Integer, String> cache, int key) {
    return cache.analytics().key(key).orElseThrow().ttlRemaining().toNanos();
  }

  @Property(tries = 50)
  void lifetimesStayWithinTheJitterBandAndSpreadOverIt(
      @ForAll @LongRange(min = 1, max = 86_400) long ttlSeconds,
      @ForAll @DoubleRange(min = 0.05, max = 1.0) double fraction) {
    FakeTicker ticker = new FakeTicker();
    FreshCache<Integer, String> cache =
        FreshCache.builder("jitter", Integer.class, String.class)
            .expiry(Expiry.ttl(Duration.ofSeconds(ttlSeconds)).jitter(fraction))
            .ticker(ticker)
            .build();
    long ttl = Duration.ofSeconds(ttlSeconds).toNanos();
    long low = (long) Math.floor(ttl * (1 - fraction));
    long high = (long) Math.ceil(ttl * (1 + fraction));
    Set<Long> distinct = new HashSet<>();
    long below = 0;
    for (int key = 0; key < 1_000; key++) {
      cache.put(key, "v");
      long lifetime = ttlRemainingNanos(cache, key);
      assertThat(lifetime).isBetween(low, high);
      distinct.add(lifetime);
      if (lifetime < ttl) {
        below++;
      }
    }
    // Uniform over the band: far from all equal, and roughly half on each side of the base.
    assertThat(distinct).hasSizeGreaterThan(900);
    assertThat(below).isBetween(350L, 650L);
  }

  @Property(tries = 30)
  void boundsWinOverJitter(
      @ForAll @LongRange(min = 10, max = 10_000) long ttlSeconds,
      @ForAll @DoubleRange(min = 0.0, max = 1.0) double fraction) {
    FakeTicker ticker = new FakeTicker();
    Duration min = Duration.ofSeconds(ttlSeconds).multipliedBy(9).dividedBy(10);
    Duration max = Duration.ofSeconds(ttlSeconds).multipliedBy(11).dividedBy(10);
    FreshCache<Integer, String> cache =
        FreshCache.builder("jitter-bounds", Integer.class, String.class)
            .expiry(Expiry.ttl(Duration.ofSeconds(ttlSeconds)).jitter(fraction).bounds(min, max))
            .ticker(ticker)
            .build();
    for (int key = 0; key < 500; key++) {
      cache.put(key, "v");
      assertThat(ttlRemainingNanos(cache, key)).isBetween(min.toNanos(), max.toNanos());
    }
  }

  @Property(tries = 10)
  void aSuppliedRandomMakesJitterReproducible(@ForAll @LongRange(min = 1, max = 1_000) long seed) {
    long[] first = lifetimes(seed);
    long[] second = lifetimes(seed);
    assertThat(first).isEqualTo(second);
  }

  private static long[] lifetimes(long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    FreshCache<Integer, String> cache =
        FreshCache.builder("seeded", Integer.class, String.class)
            .expiry(Expiry.ttl(Duration.ofMinutes(10)).jitter(0.3, random::nextDouble))
            .ticker(new FakeTicker())
            .build();
    long[] result = new long[50];
    for (int key = 0; key < result.length; key++) {
      cache.put(key, "v");
      result[key] = ttlRemainingNanos(cache, key);
    }
    return result;
  }

  @Property(tries = 10)
  void zeroJitterLeavesTheTtlExact(@ForAll @LongRange(min = 1, max = 86_400) long ttlSeconds) {
    FreshCache<Integer, String> cache =
        FreshCache.builder("no-jitter", Integer.class, String.class)
            .expiry(Expiry.ttl(Duration.ofSeconds(ttlSeconds)).jitter(0.0))
            .ticker(new FakeTicker())
            .build();
    cache.put(1, "v");
    assertThat(ttlRemainingNanos(cache, 1)).isEqualTo(Duration.ofSeconds(ttlSeconds).toNanos());
  }
}
