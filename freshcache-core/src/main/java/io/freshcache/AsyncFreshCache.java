package io.freshcache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * The non-blocking view of a {@link FreshCache}: the same entries, loads and statistics, with
 * results as {@link CompletableFuture}s. Loads run on the cache's executor; a hit completes
 * immediately. A miss waits for the group's shared tier without holding a thread, and completes on
 * the cache's executor, never on the tier's I/O thread: a stage attached with {@code thenApply} may
 * block without stalling the client. Contracts are those of the blocking methods of the same name;
 * failures complete the future exceptionally instead of throwing, except for invalid arguments
 * (null keys or values), which throw at once.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface AsyncFreshCache<K, V> {

  /** See {@link FreshCache#get}. */
  CompletableFuture<V> get(K key);

  /**
   * Returns the value for {@code key}, loading it on a miss with {@code loader} instead of the
   * cache's source, as {@link FreshCache#get(Object, Source)} does: the same single flight (a load
   * of the key in flight is joined, whoever's it is), shared-tier lookup and lease, and guard
   * against invalidations during the load. The loader is called on the cache's executor with that
   * executor, and completes its future on any thread; a loader that throws, returns {@code null}
   * instead of a future, or completes it with {@code null} fails the returned future (with a {@link
   * CacheLoadException} for a checked failure or a {@code null} value).
   *
   * @throws NullPointerException at once if {@code key} or {@code loader} is null
   */
  CompletableFuture<V> get(
      K key,
      BiFunction<? super K, ? super Executor, ? extends CompletableFuture<? extends V>> loader);

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
