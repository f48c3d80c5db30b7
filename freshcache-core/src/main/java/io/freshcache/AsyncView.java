package io.freshcache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/** The non-blocking face of a {@link LocalCache}: the same logic, results as futures. */
final class AsyncView<K, V> implements AsyncFreshCache<K, V> {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final LocalCache<K, V> cache;

  AsyncView(LocalCache<K, V> cache) {
    this.cache = cache;
  }

  @Override
  public CompletableFuture<V> get(K key) {
    return cache.getAsync(key);
  }

  @Override
  public CompletableFuture<V> get(
      K key,
      BiFunction<? super K, ? super Executor, ? extends CompletableFuture<? extends V>> loader) {
    return cache.getAsync(key, loader);
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(Iterable<? extends K> keys) {
    return cache.getAllAsync(keys, false);
  }

  @Override
  public CompletableFuture<Void> put(K key, V value) {
    cache.put(key, value);
    return DONE;
  }

  @Override
  public CompletableFuture<Void> put(K key, V value, Duration ttl) {
    cache.put(key, value, ttl);
    return DONE;
  }

  @Override
  public CompletableFuture<Void> invalidate(K key) {
    cache.invalidate(key);
    return DONE;
  }

  @Override
  public FreshCache<K, V> synchronous() {
    return cache;
  }
}
