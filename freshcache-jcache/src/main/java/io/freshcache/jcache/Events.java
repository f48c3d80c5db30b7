package io.freshcache.jcache;

import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * The events of one operation, gathered while it changes entries and delivered once, under the
 * key's lock, when it is done. Not thread-safe: one per operation.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class Events<K, V> {

  private final Cache<K, V> source;
  private final Listeners<K, V> listeners;
  private final List<CacheEntryEvent<K, V>> events = new ArrayList<>(2);

  Events(Cache<K, V> source, Listeners<K, V> listeners) {
    this.source = source;
    this.listeners = listeners;
  }

  void created(K key, V value) {
    if (listeners.anyHears(EventType.CREATED)) {
      events.add(new FreshEvent<>(source, EventType.CREATED, key, value, null, false));
    }
  }

  void updated(K key, V value, V oldValue) {
    if (listeners.anyHears(EventType.UPDATED)) {
      events.add(new FreshEvent<>(source, EventType.UPDATED, key, value, oldValue, true));
    }
  }

  void removed(K key, V oldValue) {
    if (listeners.anyHears(EventType.REMOVED)) {
      events.add(new FreshEvent<>(source, EventType.REMOVED, key, oldValue, oldValue, true));
    }
  }

  void expired(K key, V oldValue) {
    if (listeners.anyHears(EventType.EXPIRED)) {
      events.add(new FreshEvent<>(source, EventType.EXPIRED, key, oldValue, oldValue, true));
    }
  }

  /** Delivers what was gathered and starts afresh. */
  void deliver() {
    if (events.isEmpty()) {
      return;
    }
    List<CacheEntryEvent<K, V>> batch = List.copyOf(events);
    events.clear();
    listeners.deliver(batch);
  }
}
