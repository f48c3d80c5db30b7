package io.freshcache.jcache;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered listener: the listener and filter its configuration's factories made, and how it
 * is called. A synchronous listener is called on the thread of the operation, before it returns,
 * and what it throws reaches the caller as a {@link CacheEntryListenerException}. An asynchronous
 * one is called on the cache's executor, one batch at a time in the order of the changes, and what
 * it throws is logged.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class Registration<K, V> {

  private static final Logger log = LoggerFactory.getLogger(Registration.class);

  final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final Executor executor;
  private final Queue<List<CacheEntryEvent<K, V>>> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  Registration(CacheEntryListenerConfiguration<K, V> configuration, Executor executor) {
    this.configuration = configuration;
    this.listener = configuration.getCacheEntryListenerFactory().create();
    Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    this.filter = filterFactory == null ? null : filterFactory.create();
    this.executor = executor;
  }

  /** True if this listener hears events of {@code type}. */
  boolean hears(EventType type) {
    return switch (type) {
      case CREATED -> listener instanceof CacheEntryCreatedListener;
      case UPDATED -> listener instanceof CacheEntryUpdatedListener;
      case REMOVED -> listener instanceof CacheEntryRemovedListener;
      case EXPIRED -> listener instanceof CacheEntryExpiredListener;
    };
  }

  /** Hands the events this listener hears and its filter lets through to it. */
  void deliver(List<CacheEntryEvent<K, V>> events) {
    List<CacheEntryEvent<K, V>> heard = new ArrayList<>(events.size());
    for (CacheEntryEvent<K, V> event : events) {
      if (hears(event.getEventType()) && passes(event)) {
        heard.add(event);
      }
    }
    if (heard.isEmpty()) {
      return;
    }
    if (configuration.isSynchronous()) {
      call(heard);
    } else {
      pending.add(heard);
      drain();
    }
  }

  private boolean passes(CacheEntryEvent<K, V> event) {
    if (filter == null) {
      return true;
    }
    try {
      return filter.evaluate(event);
    } catch (CacheEntryListenerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheEntryListenerException("the listener's filter failed on " + event, e);
    }
  }

  private void drain() {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    executor.execute(
        () -> {
          try {
            List<CacheEntryEvent<K, V>> batch;
            while ((batch = pending.poll()) != null) {
              try {
                call(batch);
              } catch (RuntimeException e) {
                log.warn("an asynchronous cache entry listener failed on {}", batch, e);
              }
            }
          } finally {
            draining.set(false);
          }
          if (!pending.isEmpty()) {
            drain();
          }
        });
  }

  /** Calls the listener once per run of events of one type, in order. */
  @SuppressWarnings("unchecked")
  private void call(List<CacheEntryEvent<K, V>> events) {
    int from = 0;
    while (from < events.size()) {
      EventType type = events.get(from).getEventType();
      int to = from;
      while (to < events.size() && events.get(to).getEventType() == type) {
        to++;
      }
      Iterable<CacheEntryEvent<? extends K, ? extends V>> run =
          (Iterable<CacheEntryEvent<? extends K, ? extends V>>)
              (Iterable<?>) events.subList(from, to);
      try {
        switch (type) {
          case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(run);
          case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(run);
          case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(run);
          case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(run);
        }
      } catch (CacheEntryListenerException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheEntryListenerException("a cache entry listener failed: " + e, e);
      }
      from = to;
    }
  }

  /** Closes the listener and filter if they hold resources. */
  void close() {
    Closing.quietly(listener, "cache entry listener");
    Closing.quietly(filter, "cache entry event filter");
  }
}
