package io.freshcache.jcache;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * One change of one entry, as listeners receive it. For an update the old value is the one
 * replaced; for a removal or an expiry both the value and the old value are the value that left.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class FreshEvent<K, V> extends CacheEntryEvent<K, V> {

  private static final long serialVersionUID = 1L;

  private final K key;
  private final V value;
  private final V oldValue;
  private final boolean oldValueAvailable;

  FreshEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean hasOld) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = hasOld;
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
  public V getOldValue() {
    return oldValue;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException(
        "a cache entry event unwraps only to "
            + FreshEvent.class.getName()
            + ", not "
            + clazz.getName());
  }

  @Override
  public String toString() {
    return getEventType()
        + " "
        + key
        + "="
        + value
        + (oldValueAvailable ? " (was " + oldValue + ")" : "");
  }
}
