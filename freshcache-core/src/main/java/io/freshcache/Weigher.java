package io.freshcache;

/**
 * Weighs entries for a cache bounded by {@link FreshCacheBuilder#maximumWeight}: the in-process
 * tier keeps the sum of its entries' weights within that bound, evicting as {@code maximumSize}
 * does by count. An entry is weighed once, when it is written (put, load, refresh); its weight does
 * not change while it is cached.
 *
 * <p>Called on the writing thread, under the key's lock: it must be quick, thread-safe and must not
 * call the cache. A weight must be 0 or more; a negative one fails the write that asked for it with
 * an {@link IllegalArgumentException} that names the key, and stores nothing.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Weigher<K, V> {

  /** The weight of an entry, in whatever unit {@code maximumWeight} counts (bytes, rows). */
  int weigh(K key, V value);
}
