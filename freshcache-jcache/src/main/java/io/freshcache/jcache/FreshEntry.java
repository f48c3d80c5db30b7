package io.freshcache.jcache;

import java.util.Objects;
import javax.cache.Cache;

/**
 * A key and its value, as an iterator or a writer sees them. Immutable.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class FreshEntry<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  FreshEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException(
        "a cache entry unwraps only to " + FreshEntry.class.getName() + ", not " + clazz.getName());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FreshEntry<?, ?> e
        && Objects.equals(key, e.key)
        && Objects.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
