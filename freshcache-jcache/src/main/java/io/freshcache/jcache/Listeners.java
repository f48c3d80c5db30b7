package io.freshcache.jcache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * The listeners registered on one cache, from its configuration and at run time. Thread-safe;
 * registering while events are delivered is allowed (a delivery sees the listeners of its start).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class Listeners<K, V> {

  private final CopyOnWriteArrayList<Registration<K, V>> registrations =
      new CopyOnWriteArrayList<>();
  private final Executor executor;

  Listeners(Executor executor) {
    this.executor = executor;
  }

  /**
   * @throws IllegalArgumentException if an equal configuration is registered already
   */
  synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> r : registrations) {
      if (r.configuration.equals(configuration)) {
        throw new IllegalArgumentException(
            "this cache entry listener configuration is registered already: " + configuration);
      }
    }
    registrations.add(new Registration<>(configuration, executor));
  }

  /** Removes the registration of an equal configuration; returns false if there is none. */
  synchronized boolean deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> r : registrations) {
      if (r.configuration.equals(configuration)) {
        registrations.remove(r);
        r.close();
        return true;
      }
    }
    return false;
  }

  /** True if some listener hears events of {@code type}: otherwise none need to be made. */
  boolean anyHears(EventType type) {
    for (Registration<K, V> r : registrations) {
      if (r.hears(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Hands {@code events} to every listener. Every listener gets its events even if a synchronous
   * one fails; the first failure is rethrown afterwards.
   */
  void deliver(List<CacheEntryEvent<K, V>> events) {
    if (events.isEmpty()) {
      return;
    }
    RuntimeException failure = null;
    for (Registration<K, V> r : registrations) {
      try {
        r.deliver(events);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  void close() {
    for (Registration<K, V> r : registrations) {
      r.close();
    }
  }
}
