package io.freshcache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The non-blocking view of a {@link FreshCache}: the same entries, loads and statistics, with
 * results as {@link CompletableFuture}s. Loads run on the cache's executor; a hit completes
 * immediately. Contracts are those of the blocking methods of the same name; failures complete the
 * future exceptionally instead of throwing, except for invalid arguments (null keys or values),
 * which throw at once.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface AsyncFreshCache<K, V> {

  /** See {@link FreshCache#get}. */
  CompletableFuture<V> get(K key);

  /** See {@link FreshCache#getAll}. */
  CompletableFuture<Map<K, V>> getAll(Iterable<? extends K> keys);

  /** See {@link FreshCache#put(Object, Object)}. */
  CompletableFuture<Void> put(K key, V value);

  /** See {@link FreshCache#put(Object, Object, Duration)}. */
  CompletableFuture<Void> put(K key, V value, Duration ttl);

  /** See {@link FreshCache#invalidate}. */
  CompletableFuture<Void> invalidate(K key);

  /** The blocking view of the same cache. */
  FreshCache<K, V> synchronous();
}
