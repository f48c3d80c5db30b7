package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
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
    return stats.snapshot();
  }

  @Override
  public Optional<KeyAnalytics<K>> key(K key) {
    checks.key(key);
    Entry<V> entry = cache.store().policy().getIfPresentQuietly(key);
    if (entry == null || !cache.alive(entry)) {
      return Optional.empty();
    }
    return Optional.of(KeyAnalytics.of(key, entry, ticker.read()));
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
        .map(e -> KeyAnalytics.of(e.getKey(), e.getValue(), now))
        .toList();
  }
}
