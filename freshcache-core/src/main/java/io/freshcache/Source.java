package io.freshcache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Loads values from the source of truth (a database, a service) when the cache misses.
 *
 * <p>The cache calls a source for at most one load per key at a time (single-flight): concurrent
 * misses on one key wait for that one load. A source may be called from the reader's thread (for
 * {@link FreshCache#get}) or from the cache's executor (for async gets and background refreshes),
 * so it must be thread-safe.
 *
 * <p>By default a source must not return {@code null}: a missing row is either an exception of the
 * source's choosing or a value the application can recognise (an empty {@code Optional}, a
 * sentinel). A {@code null} fails the load with a {@link CacheLoadException} and caches nothing. A
 * cache built with {@link FreshCacheBuilder#negativeCaching} takes {@code null} as "not found"
 * instead, and caches that for its own, shorter lifetime.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Source<K, V> {

  /**
   * Loads the current value for {@code key}.
   *
   * @throws Exception any failure; it reaches every caller waiting on this load and nothing is
   *     cached
   */
  V load(K key) throws Exception;

  /**
   * Loads several keys at once. The default calls {@link #load} for each key; override it when the
   * source can answer many keys in one query ({@code WHERE id IN (...)}). A key missing from the
   * result fails the lookup of that key.
   */
  default Map<K, V> loadAll(Set<? extends K> keys) throws Exception {
    Map<K, V> result = new LinkedHashMap<>();
    for (K key : keys) {
      result.put(key, load(key));
    }
    return result;
  }
}
