package io.freshcache;

/**
 * Tells Caffeine how long to keep an entry: its freshness plus the longest stale window, since an
 * expired entry is still needed to serve stale. Freshness itself is judged by {@link LocalCache};
 * this only frees memory. Sliding expiry moves an entry's freshness here, on Caffeine's read
 * callback, which also moves Caffeine's own deadline: one mechanism, no second timer.
 */
final class Retention<K, V> implements com.github.benmanes.caffeine.cache.Expiry<K, Entry<V>> {

  private final Expiry<K, V> expiry;
  private final long staleRetention;

  Retention(Expiry<K, V> expiry, long staleRetention) {
    this.expiry = expiry;
    this.staleRetention = staleRetention;
  }

  @Override
  public long expireAfterCreate(K key, Entry<V> entry, long now) {
    return remaining(entry, now);
  }

  @Override
  public long expireAfterUpdate(K key, Entry<V> entry, long now, long currentDuration) {
    return remaining(entry, now);
  }

  @Override
  public long expireAfterRead(K key, Entry<V> entry, long now, long currentDuration) {
    long freshUntil = entry.freshUntil();
    long freshLeft = freshUntil - now;
    if (freshLeft > 0 && freshUntil != Expiry.NEVER) {
      long next = expiry.afterRead(key, entry.value, now - entry.writtenAt, freshLeft);
      if (next != freshLeft) {
        entry.setFreshUntil(Durations.saturatedAdd(now, Math.max(0, next)));
        return remaining(entry, now);
      }
    }
    return currentDuration;
  }

  private long remaining(Entry<V> entry, long now) {
    if (entry.freshUntil() == Expiry.NEVER) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, entry.retainUntil(staleRetention) - now);
  }
}
