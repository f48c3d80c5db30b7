package io.freshcache.jcache;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.Cache;

/**
 * Iterates over the keys a cache held when the iteration began, each looked up as it is reached:
 * entries removed or expired meanwhile are skipped. {@link #remove} removes through the cache, as
 * {@code Cache.remove(key)} does. Not thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class EntryIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private final Iterator<Object> storedKeys;
  private final Function<Object, Cache.Entry<K, V>> visit;
  private final Consumer<K> remove;
  private Cache.Entry<K, V> next;
  private K last;

  /**
   * @param visit the entry of a stored key as a read finds it (counted, touched), or null
   * @param remove removes a key through the cache
   */
  EntryIterator(
      Iterator<Object> storedKeys, Function<Object, Cache.Entry<K, V>> visit, Consumer<K> remove) {
    this.storedKeys = storedKeys;
    this.visit = visit;
    this.remove = remove;
  }

  @Override
  public boolean hasNext() {
    while (next == null && storedKeys.hasNext()) {
      next = visit.apply(storedKeys.next());
    }
    return next != null;
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Cache.Entry<K, V> entry = next;
    next = null;
    last = entry.getKey();
    return entry;
  }

  @Override
  public void remove() {
    if (last == null) {
      throw new IllegalStateException("next() has not been called, or remove() was already");
    }
    K key = last;
    last = null;
    remove.accept(key);
  }
}
