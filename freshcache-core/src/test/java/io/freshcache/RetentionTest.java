package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long the store keeps entries in memory, chosen per expiry policy for what it costs a hit (one
 * fixed Caffeine expiry whenever the policy's longest lifetime is known), and never shorter than an
 * entry's freshness plus its stale windows.
 */
class RetentionTest {

  private final FakeTicker ticker = new FakeTicker();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v:" + k);

  private static Retention.Mode modeOf(Expiry<String, String> expiry) {
    return new Retention<>("c", expiry, 0, new FakeTicker()).mode();
  }

  @Test
  void policiesWithAKnownLongestLifetimeGetOneFixedCaffeineExpiry() {
    Duration hour = Duration.ofHours(1);
    assertThat(modeOf(Expiry.ttl(hour))).isEqualTo(Retention.Mode.FIXED);
    assertThat(modeOf(Expiry.<String, String>ttl(hour).jitter(0.2)))
        .isEqualTo(Retention.Mode.FIXED);
    assertThat(modeOf(Expiry.sliding(Duration.ofMinutes(5), hour))).isEqualTo(Retention.Mode.FIXED);
    assertThat(modeOf(Expiry.adaptive(hour))).isEqualTo(Retention.Mode.FIXED);
    // bounds cap any policy, even one whose lifetimes are unknown in advance
    assertThat(
            modeOf(
                Expiry.<String, String>perEntry((k, v) -> hour)
                    .bounds(Duration.ZERO, Duration.ofHours(2))))
        .isEqualTo(Retention.Mode.FIXED);
    assertThat(modeOf(Expiry.never())).isEqualTo(Retention.Mode.NONE);
    assertThat(modeOf(Expiry.perEntry((k, v) -> hour))).isEqualTo(Retention.Mode.PER_ENTRY);
    assertThat(modeOf(Expiry.<String, String>perEntry((k, v) -> hour).jitter(0.1)))
        .isEqualTo(Retention.Mode.PER_ENTRY);
  }

  @Test
  void theLongestLifetimeCoversJitterAndTheSlidingCap() {
    assertThat(Retention.longest(Expiry.ttl(Duration.ofSeconds(100)).jitter(0.2)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(120).toNanos());
    assertThat(Retention.longest(Expiry.sliding(Duration.ofSeconds(10), Duration.ofSeconds(35))))
        .isEqualTo(Duration.ofSeconds(35).toNanos());
    assertThat(Retention.slides(Expiry.ttl(Duration.ofSeconds(1)).jitter(0.5))).isFalse();
    assertThat(
            Retention.slides(
                Expiry.sliding(Duration.ofSeconds(1), Duration.ofSeconds(2)).jitter(0.5)))
        .isTrue();
  }

  @Test
  void aHitReadsTheClockOnce() {
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    com.github.benmanes.caffeine.cache.Ticker counting =
        () -> {
          reads.incrementAndGet();
          return ticker.read();
        };
    for (Expiry<String, String> expiry :
        List.of(
            Expiry.<String, String>ttl(Duration.ofHours(1)).jitter(0.2),
            Expiry.<String, String>sliding(Duration.ofMinutes(5), Duration.ofHours(1)),
            Expiry.<String, String>never())) {
      FreshCache<String, String> cache =
          FreshCache.builder("one-read", String.class, String.class)
              .expiry(expiry)
              .source(source)
              .ticker(counting)
              .build();
      cache.get("a");
      reads.set(0);

      for (int i = 0; i < 100; i++) {
        assertThat(cache.get("a")).isEqualTo("v:a");
      }

      assertThat(reads.get()).as("clock reads in 100 hits, %s", expiry).isEqualTo(100);
      cache.close();
    }
  }

  @Test
  void anEntryStaysInMemoryThroughItsStaleWindowAndLeavesAfter() {
    FreshCache<String, String> cache =
        FreshCache.builder("kept", String.class, String.class)
            .expiry(Expiry.ttl(Duration.ofSeconds(10)))
            .refresh(Refresh.none().staleWhileRevalidate(Duration.ofSeconds(5)))
            .source(source)
            .ticker(ticker)
            .build();
    cache.get("a");

    ticker.advance(Duration.ofSeconds(15).minusNanos(1));
    assertThat(cache.estimatedSize()).isEqualTo(1); // still needed to serve stale

    ticker.advance(Duration.ofSeconds(1));
    assertThat(cache.estimatedSize()).isZero(); // freed: fresh 10 s + stale 5 s (+ 2 ms) are over
  }

  @Test
  void aPutFreshForLongerThanThePolicyIsKeptThatLong() {
    FreshCache<String, String> cache =
        FreshCache.builder("widened", String.class, String.class)
            .expiry(Expiry.ttl(Duration.ofSeconds(1)))
            .source(source)
            .ticker(ticker)
            .build();
    cache.put("a", "pinned", Duration.ofHours(1));
    cache.get("b"); // an entry of the policy's own lifetime

    ticker.advance(Duration.ofMinutes(59));

    assertThat(cache.getIfPresent("a")).isEqualTo("pinned");
    assertThat(cache.getIfPresent("b")).isNull(); // not fresh: judged per entry, kept or not
    assertThat(source.loads()).isEqualTo(1);
  }

  @Test
  void perEntryLifetimesLeaveMemoryEachAtItsOwnTime() {
    FreshCache<String, String> cache =
        FreshCache.builder("per-entry", String.class, String.class)
            .expiry(
                Expiry.perEntry(
                    (k, v) -> k.startsWith("long") ? Duration.ofHours(1) : Duration.ofSeconds(1)))
            .source(source)
            .ticker(ticker)
            .build();
    cache.get("short");
    cache.get("long");

    ticker.advance(Duration.ofSeconds(2));

    assertThat(cache.estimatedSize()).isEqualTo(1);
    assertThat(cache.getIfPresent("long")).isEqualTo("v:long");
  }

  @Test
  void aSlidingHitWritesTheEntryAtMostOnceAMillisecond() {
    Retention<String, String> retention =
        new Retention<>(
            "c", Expiry.sliding(Duration.ofSeconds(10), Duration.ofSeconds(35)), 0, ticker);
    Entry<String> entry =
        new Entry<>(
            "v",
            0,
            Duration.ofSeconds(10).toNanos(),
            0,
            0,
            1,
            new Entry.Meta(0, InvalidationHistory.NO_VERSION, Entry.NONE, null, Entry.NONE));
    long tenSeconds = Duration.ofSeconds(10).toNanos();

    retention.afterHit("a", entry, Entry.ACCESS_GRANULARITY - 1);
    assertThat(entry.freshUntil()).isEqualTo(tenSeconds); // under a millisecond: not written
    retention.afterHit("a", entry, Entry.ACCESS_GRANULARITY);
    assertThat(entry.freshUntil()).isEqualTo(tenSeconds + Entry.ACCESS_GRANULARITY);

    long nearTheCap = Duration.ofSeconds(34).toNanos();
    entry.setFreshUntil(nearTheCap + 1);
    retention.afterHit("a", entry, nearTheCap);
    // shrinks at once to the cap (35 s after the write), whatever the granularity
    assertThat(entry.freshUntil()).isEqualTo(Duration.ofSeconds(35).toNanos());
  }

  @Test
  void theRetentionClockMovesOnlyOnceItIsAMillisecondBehindAndNeverBack() {
    RetentionClock clock = new RetentionClock(ticker);
    long start = clock.read();

    clock.advance(start + RetentionClock.GRANULARITY - 1);
    assertThat(clock.read()).isEqualTo(start); // a hit under a millisecond later writes nothing
    clock.advance(start + RetentionClock.GRANULARITY);
    assertThat(clock.read()).isEqualTo(start + RetentionClock.GRANULARITY);
    clock.advance(start); // an older read, racing in late
    assertThat(clock.read()).isEqualTo(start + RetentionClock.GRANULARITY);

    ticker.advanceNanos(RetentionClock.GRANULARITY + 7);
    clock.sync();
    assertThat(clock.read()).isEqualTo(ticker.read());
  }
}
