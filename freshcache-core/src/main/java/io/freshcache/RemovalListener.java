package io.freshcache;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Told of every entry that leaves a cache's in-process tier, with its value and {@link
 * RemovalCause}. Set with {@link FreshCacheBuilder#removalListener}; a hit never calls it.
 *
 * <p>Called synchronously, once per entry that readers could see, on the thread that removed it:
 * the caller of {@code put} or {@code invalidate}, the bus's delivery thread for an event, the
 * loading thread for a load that replaced an entry, the reader that found it invalidated by a tag.
 * Expirations and evictions by size are told from the in-process tier's upkeep, while the tier
 * holds the key's lock: such a call must not read or write the same key of the same cache. A
 * listener should be quick; one that needs to block wraps itself with {@link #onExecutor}. A
 * listener that throws is logged and has changed nothing: the cache goes on as if it had returned.
 *
 * <p>An entry invalidated by a tag leaves when the cache next meets it (a read, or the upkeep's
 * expiry or eviction of it), since tag invalidation does not visit the entries it invalidates; it
 * is then told with the cause of the tag's invalidation.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface RemovalListener<K, V> {

  /**
   * An entry left the cache.
   *
   * @param key its key, never null
   * @param value its value, never null
   * @param cause why it left
   */
  void onRemoval(K key, V value, RemovalCause cause);

  /**
   * A listener that hands each removal to {@code executor} and returns at once: for listeners that
   * block or call back into the cache. Removals of one key may then reach {@code listener} out of
   * order.
   */
  static <K, V> RemovalListener<K, V> onExecutor(
      Executor executor, RemovalListener<K, V> listener) {
    Objects.requireNonNull(executor, "executor must not be null");
    Objects.requireNonNull(listener, "listener must not be null");
    return (key, value, cause) -> executor.execute(() -> listener.onRemoval(key, value, cause));
  }
}
