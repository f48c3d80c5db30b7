package io.freshcache.spring;

import io.freshcache.FreshCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cache's puts, evictions and clears made inside one transaction, applied in order once it
 * commits and dropped if it rolls back. Until then other threads and instances see the cache as it
 * was — an evicted entry stays, so no reader reloads the row the transaction is still changing —
 * while the transaction itself sees its own changes ({@link #lookup}). Confined to the
 * transaction's thread.
 */
final class PendingChanges {

  /** What the transaction knows of a key: evicted, or put with a value. */
  static final Object EVICTED = new Object();

  private final FreshCache<String, Object> cache;
  private final List<Runnable> changes = new ArrayList<>();
  private final Map<String, Object> keys = new HashMap<>();
  private boolean cleared;

  PendingChanges(FreshCache<String, Object> cache) {
    this.cache = cache;
  }

  void put(String key, Object stored) {
    keys.put(key, stored);
    changes.add(() -> cache.put(key, stored));
  }

  void evict(String key) {
    keys.put(key, EVICTED);
    changes.add(() -> cache.invalidate(key));
  }

  void clear() {
    keys.clear();
    cleared = true;
    changes.add(cache::invalidateAll);
  }

  /**
   * The transaction's own view of {@code key}: its pending value, {@link #EVICTED}, or null if it
   * has not touched the key (the cache decides).
   */
  Object lookup(String key) {
    Object known = keys.get(key);
    if (known == null && cleared) {
      return EVICTED;
    }
    return known;
  }

  void apply() {
    changes.forEach(Runnable::run);
  }
}
