package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.stats.CacheAnalytics;
import io.freshcache.stats.CacheStats;
import io.freshcache.stats.KeyAnalytics;
import io.freshcache.stats.VerifierStats;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cache's {@link CacheAnalytics}: reads its entries quietly (no access recorded, no sliding, no
 * load) and its counters.
 */
final class Analytics<K, V> implements CacheAnalytics<K> {

  private final LocalCache<K, V> cache;
  private final Checks<K, V> checks;
  private final StatsCounter stats;
  private final Ticker ticker;

  Analytics(LocalCache<K, V> cache, Checks<K, V> checks, StatsCounter stats, Ticker ticker) {
    this.cache = cache;
    this.checks = checks;
    this.stats = stats;
    this.ticker = ticker;
  }

  @Override
  public CacheStats stats() {
    cache.settle(); // evictions and expirations pending in Caffeine's upkeep, counted first
    return stats.snapshot();
  }

  @Override
  public Optional<VerifierStats> verification() {
    return cache.verification();
  }

  @Override
  public Optional<KeyAnalytics<K>> key(K key) {
    checks.key(key);
    Entry<V> entry = cache.store().policy().getIfPresentQuietly(key);
    if (entry == null || !cache.alive(entry)) {
      return Optional.empty();
    }
    return Optional.of(keyAnalytics(key, entry, ticker.read()));
  }

  @Override
  public List<KeyAnalytics<K>> hottest(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    long now = ticker.read();
    return cache.store().asMap().entrySet().stream()
        .filter(e -> cache.alive(e.getValue()))
        .sorted(
            Comparator.comparingLong((Map.Entry<K, Entry<V>> e) -> e.getValue().accessCount())
                .reversed())
        .limit(limit)
        .map(e -> keyAnalytics(e.getKey(), e.getValue(), now))
        .toList();
  }

  /** What an entry tells of its key at ticker time {@code now}. */
  static <K> KeyAnalytics<K> keyAnalytics(K key, Entry<?> entry, long now) {
    long age = Math.max(0, now - entry.writtenAt);
    long freshUntil = entry.freshUntil();
    Duration ttlRemaining =
        freshUntil == Expiry.NEVER
            ? ChronoUnit.FOREVER.getDuration()
            : Duration.ofNanos(Math.max(0, freshUntil - now));
    long accesses = entry.accessCount();
    double hitRate = (double) accesses / (accesses + Math.max(1, entry.writes));
    double perSecond = age == 0 ? 0.0 : accesses / (age / 1e9);
    return new KeyAnalytics<>(
        key,
        Duration.ofNanos(age),
        ttlRemaining,
        now < freshUntil,
        accesses,
        Duration.ofNanos(Math.max(0, now - entry.lastAccess())),
        entry.writes,
        hitRate,
        perSecond);
  }
}
