package io.freshcache;

import io.freshcache.stats.CacheAnalytics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;

/**
 * A cache in front of a source of truth: read-through with single-flight loading, named expiry and
 * refresh strategies, explicit invalidation and analytics.
 *
 * <p>Every method is thread-safe. Keys and values are never {@code null}; passing one fails with a
 * {@link NullPointerException} that names the cache and changes nothing. (With {@link
 * FreshCacheBuilder#negativeCaching}, reads return {@code null} for a key the source did not find.)
 * Once {@link #put} or an {@code invalidate*} call returns, this instance never returns the value
 * it replaced or removed, even if a load that started earlier completes later (such a load's result
 * reaches only the callers that were already waiting for it, and is not stored).
 *
 * <p>This is the blocking view; {@link #async()} gives the non-blocking one. Both share the same
 * entries, statistics and in-flight loads.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface FreshCache<K, V> extends AutoCloseable {

  /**
   * Starts a builder for a cache.
   *
   * @param name the cache's name, used in metrics, logs and error messages; not blank
   * @param keyType the class of keys (checked at runtime on every call)
   * @param valueType the class of values
   */
  static <K, V> FreshCacheBuilder<K, V> builder(String name, Class<K> keyType, Class<V> valueType) {
    return new FreshCacheBuilder<>(name, keyType, valueType);
  }

  /** The name given to the builder. */
  String name();

  /**
   * Returns the value for {@code key}, loading it from the source on a miss. Concurrent misses on
   * one key cause a single load; every waiter receives its value or its exception. A stale entry
   * may be served while it is being refreshed, as the cache's {@link Refresh} allows.
   *
   * @return the value; {@code null} only in a cache with {@link FreshCacheBuilder#negativeCaching},
   *     for a key its source did not find
   * @throws IllegalStateException if the cache has no source
   * @throws CacheLoadException if the source failed with a checked exception or returned null
   *     (without negative caching); an unchecked exception from the source is rethrown as is
   */
  V get(K key);

  /**
   * Returns the value for {@code key}, loading it on a miss with {@code loader} instead of the
   * cache's source (a cache built without a source serves such gets too). The load takes exactly
   * the path of {@link #get(Object)}: one load per key at a time on this instance, and across
   * instances when the group has a shared tier (a hit there is used, and the loader is not called);
   * an invalidation or put of the key during the load keeps its value out of the cache (the callers
   * waiting still get it); failures and {@code null}s are reported as {@link #get(Object)} reports
   * them. A load of the key already in flight is joined, whoever's loader or source runs it, so
   * concurrent callers with different loaders get one value. The loader runs on the calling thread
   * and must be thread-safe if several threads pass it. Background refreshes, if any, use the
   * cache's source.
   *
   * @throws NullPointerException if {@code key} or {@code loader} is null
   * @throws CacheLoadException if the loader failed with a checked exception or returned null; an
   *     unchecked exception from it is rethrown as is
   */
  V get(K key, Source<? super K, ? extends V> loader);

  /**
   * Returns the values for {@code keys}, in iteration order, loading the missing ones with one call
   * to {@link Source#loadAll} (keys already being loaded join that load). With a shared tier, the
   * keys missing here are first looked up there all at once ({@link
   * io.freshcache.spi.SharedTier#lookupAll}: one round trip on Redis), and only what the tier lacks
   * is loaded.
   */
  Map<K, V> getAll(Iterable<? extends K> keys);

  /** Returns the cached value, or {@code null} on a miss; never calls the source. */
  V getIfPresent(K key);

  /** Stores a value with the cache's expiry policy, replacing any cached one. */
  void put(K key, V value);

  /** Stores a value that stays fresh for {@code ttl}, whatever the cache's expiry policy says. */
  void put(K key, V value, Duration ttl);

  /**
   * Stores a value with what it is known by: {@link Tags}, what it {@link DependsOn}, its {@link
   * Version}. Options left out are taken from the builder's functions, if any. Goes through the
   * cache's {@link Writes} policy like every put, and tells the group's other instances to drop
   * their copy.
   *
   * @throws VersionConflictException if the version is older than one the cache knows of the key;
   *     checked before a write-through writes the source, the message says what was stored
   * @throws IllegalArgumentException if the dependencies would form a cycle; nothing is stored, in
   *     the cache or in the source
   */
  void put(K key, V value, PutOption... options);

  /**
   * Reloads {@code key} from the source in the background, on the cache's executor; until the new
   * value lands, reads keep getting the current one (a key not cached is loaded, and readers wait
   * for that load as for a miss). The new value is stored through the same guard as every load: an
   * invalidation or put of the key during the refresh wins, and the refreshed value then reaches
   * only the returned future. A load of the key already in flight is joined instead of starting
   * another. Like background refreshes, it reads the source, not the shared tier, and stores the
   * value on this instance only. Under write-behind, a key with a write not yet flushed is not
   * reloaded (the source would answer with the value that write replaced): the future completes
   * with the written value.
   *
   * @return the refreshed value; fails as a load fails (the current entry then stays, or is served
   *     under stale-if-error as its {@link Refresh} allows)
   * @throws IllegalStateException if the cache has no source
   */
  CompletableFuture<V> refresh(K key);

  /**
   * Removes the entry for {@code key} and voids any load of it that is in flight, here and, through
   * the group's bus, on every other instance. Entries derived from the key stay: use {@link
   * CacheGroup#invalidateCascade} for those.
   */
  void invalidate(K key);

  /** Removes the entries for {@code keys}, as {@link #invalidate} does for each. */
  void invalidateAll(Iterable<? extends K> keys);

  /** Removes every entry and voids every load in flight. */
  void invalidateAll();

  /**
   * The key's name in the group: the cache's key prefix and the key's {@link KeyCodec} form. Tags,
   * patterns, {@link DependsOn} and bus events speak of keys by this name.
   */
  String keyName(K key);

  /**
   * A {@link ConcurrentMap} view of this cache, for code written against maps. Its writes are this
   * cache's: {@code put} and {@code putAll} are {@link #put(Object, Object)} (key and value checks,
   * versions, the write policy, the bus), {@code remove}, {@code clear} and removals through its
   * iterators are {@link #invalidate} and {@link #invalidateAll()}; {@code get} is {@link
   * #getIfPresent}. {@code computeIfAbsent} is {@link #get(Object, Source)}: one call of the
   * function per key at a time (across instances with a shared tier); a {@code null} from it caches
   * nothing, returns {@code null}, and fails the other callers waiting on that load with a {@link
   * CacheLoadException}.
   *
   * <p>Iteration, {@code size}, {@code containsKey} and {@code containsValue} see the fresh entries
   * of this instance's in-process tier, weakly consistent as a {@code ConcurrentHashMap}'s
   * iterators are, without statistics or side effects; {@code size} counts them (linear time, use
   * {@link #estimatedSize()} for a cheap estimate). The previous value returned by {@code put} and
   * {@code remove} is the one visible just before the write, not read atomically with it.
   *
   * <p>{@code putIfAbsent}, {@code replace}, {@code remove(key, value)}, {@code compute}, {@code
   * computeIfPresent}, {@code merge} and {@code replaceAll} throw {@link
   * UnsupportedOperationException}: a compare-and-set cannot be atomic across the group's instances
   * and a write policy that writes the source; the message names what to use instead (for
   * optimistic concurrency, {@link Version} refuses an older value). Keys and values are never
   * {@code null}.
   */
  ConcurrentMap<K, V> asMap();

  /** The group this cache belongs to (a private one for a cache built alone). */
  CacheGroup group();

  /** The non-blocking view of this cache. */
  AsyncFreshCache<K, V> async();

  /** Statistics of the cache and of single keys. */
  CacheAnalytics<K> analytics();

  /** Number of entries held (fresh or within a stale window); an estimate under concurrency. */
  long estimatedSize();

  /**
   * Leaves the group, flushes write-behind (retrying for up to 30 seconds) and releases the cache's
   * meters.
   *
   * @throws WriteBehindException if acknowledged writes could not be flushed; it holds them
   */
  @Override
  void close();
}
