package io.freshcache;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@link ConcurrentMap} face of a {@link LocalCache} ({@link FreshCache#asMap()}): reads see
 * what {@code getIfPresent} sees, writes are {@code put}s and removals are {@code invalidate}s, so
 * every guard of those runs (key and value checks, versions, the write policy, the bus). The
 * conditional writes that cannot be atomic across a group are refused with what to use instead.
 */
final class MapView<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

  private final LocalCache<K, V> cache;
  private final Class<K> keyType;
  private final EntrySet entries = new EntrySet();

  MapView(LocalCache<K, V> cache, Class<K> keyType) {
    this.cache = cache;
    this.keyType = keyType;
  }

  /** A computeIfAbsent function's null: fails the flight, and means "no mapping" to its caller. */
  private static final class NoMapping extends CacheLoadException {
    private static final long serialVersionUID = 1L;

    NoMapping(String message) {
      super(message);
    }
  }

  private K asKey(Object key) {
    Objects.requireNonNull(key, () -> "cache '" + cache.name() + "': key must not be null");
    return keyType.isInstance(key) ? keyType.cast(key) : null;
  }

  @Override
  public V get(Object key) {
    K k = asKey(key);
    return k == null ? null : cache.getIfPresent(k);
  }

  @Override
  public boolean containsKey(Object key) {
    K k = asKey(key);
    return k != null && cache.peek(k) != null;
  }

  @Override
  public V put(K key, V value) {
    V old = cache.peek(key);
    cache.put(key, value);
    return old;
  }

  @Override
  public V remove(Object key) {
    K k = asKey(key);
    if (k == null) {
      return null;
    }
    V old = cache.peek(k);
    cache.invalidate(k);
    return old;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    map.forEach(this::put);
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  @Override
  public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
    Objects.requireNonNull(mappingFunction, "mappingFunction must not be null");
    try {
      return cache.get(
          key,
          k -> {
            V value = mappingFunction.apply(k);
            if (value == null) {
              throw new NoMapping(
                  "cache '"
                      + cache.name()
                      + "': the computeIfAbsent function returned null for key "
                      + k
                      + "; nothing was cached");
            }
            return value;
          });
    } catch (NoMapping none) {
      return null;
    }
  }

  @Override
  public V putIfAbsent(K key, V value) {
    throw refused("putIfAbsent", "computeIfAbsent(key, k -> value) or get(key, loader)");
  }

  @Override
  public boolean remove(Object key, Object value) {
    throw refused("remove(key, value)", "remove(key) or invalidate(key)");
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    throw refused(
        "replace(key, oldValue, newValue)",
        "put(key, value, Version.of(v)), which refuses a value older than the cached one");
  }

  @Override
  public V replace(K key, V value) {
    throw refused("replace(key, value)", "put(key, value)");
  }

  @Override
  public V computeIfPresent(
      K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
    throw refused("computeIfPresent", "get, then put or invalidate");
  }

  @Override
  public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
    throw refused("compute", "get, then put or invalidate");
  }

  @Override
  public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
    throw refused("merge", "get, then put");
  }

  @Override
  public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
    throw refused("replaceAll", "put for each key");
  }

  private UnsupportedOperationException refused(String operation, String instead) {
    return new UnsupportedOperationException(
        "cache '"
            + cache.name()
            + "': asMap()."
            + operation
            + " is not supported: a conditional write cannot be atomic across the group's"
            + " instances and its write policy; use "
            + instead);
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return entries;
  }

  /** The fresh entries of the local tier; removals invalidate, {@code setValue} puts. */
  private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
      Iterator<Map.Entry<K, V>> visible = cache.visibleEntries();
      return new Iterator<>() {
        private K last;

        @Override
        public boolean hasNext() {
          return visible.hasNext();
        }

        @Override
        public Map.Entry<K, V> next() {
          Map.Entry<K, V> next = visible.next();
          last = next.getKey();
          return new WritingEntry(next.getKey(), next.getValue());
        }

        @Override
        public void remove() {
          if (last == null) {
            throw new IllegalStateException("next() was not called");
          }
          cache.invalidate(last);
          last = null;
        }
      };
    }

    @Override
    public int size() {
      int size = 0;
      for (Iterator<Map.Entry<K, V>> it = cache.visibleEntries(); it.hasNext(); it.next()) {
        size++;
      }
      return size;
    }

    @Override
    public boolean isEmpty() {
      return !cache.visibleEntries().hasNext();
    }
  }

  /** An entry of the iteration whose {@code setValue} is a put. */
  private final class WritingEntry extends SimpleEntry<K, V> {
    private static final long serialVersionUID = 1L;

    WritingEntry(K key, V value) {
      super(key, value);
    }

    @Override
    public V setValue(V value) {
      cache.put(getKey(), value);
      return super.setValue(value);
    }
  }
}
