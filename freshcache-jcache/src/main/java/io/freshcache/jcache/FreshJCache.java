package io.freshcache.jcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.FreshCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JCache {@link Cache} on freshcache. Every operation on a key runs under the key's lock, reads
 * the cache's clock once, applies the expiry policy, the loader and the writer as the specification
 * says, and delivers its events before it returns (synchronous listeners) or in order on the
 * cache's executor (asynchronous ones). Puts and removals travel the group's bus, so other
 * instances drop their copy of the key; see {@link EntryStore}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class FreshJCache<K, V> implements Cache<K, V> {

  private final FreshCacheManager manager;
  private final String name;
  private final MutableConfiguration<K, V> configuration;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final Copier copier;
  private final ExpiryRules expiry;
  private final CacheLoader<K, V> loader;
  private final CacheWriter<K, V> writer;
  private final Listeners<K, V> listeners;
  private final EntryStore store;
  private final KeyLocks locks = new KeyLocks();
  private final Statistics statistics = new Statistics();
  private final ConfigurationBean configurationBean = new ConfigurationBean(this);
  private final Ticker ticker;
  private final Executor executor;
  private volatile boolean closed;

  @SuppressWarnings("unchecked")
  FreshJCache(
      FreshCacheManager manager,
      String name,
      CompleteConfiguration<K, V> given,
      FreshCache<String, Object> tokens,
      Ticker ticker,
      Executor executor) {
    this.manager = manager;
    this.name = name;
    this.configuration = new MutableConfiguration<>(given);
    this.keyType = configuration.getKeyType();
    this.valueType = configuration.getValueType();
    this.copier = Copier.of(configuration.isStoreByValue(), manager.getClassLoader());
    this.expiry = new ExpiryRules(name, configuration.getExpiryPolicyFactory().create());
    this.loader =
        configuration.getCacheLoaderFactory() == null
            ? null
            : (CacheLoader<K, V>) configuration.getCacheLoaderFactory().create();
    this.writer =
        configuration.getCacheWriterFactory() == null
            ? null
            : (CacheWriter<K, V>) configuration.getCacheWriterFactory().create();
    this.ticker = ticker;
    this.executor = executor;
    this.listeners = new Listeners<>(executor);
    for (CacheEntryListenerConfiguration<K, V> c :
        configuration.getCacheEntryListenerConfigurations()) {
      listeners.register(c);
    }
    this.store = new EntryStore(tokens, new KeyNames(keyType));
    if (configuration.isManagementEnabled()) {
      setManagementEnabled(true);
    }
    if (configuration.isStatisticsEnabled()) {
      setStatisticsEnabled(true);
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    checkOpen();
    requireKey(key);
    long start = System.nanoTime();
    Events<K, V> events = events();
    V value = withLock(key, () -> read(key, events));
    statistics.getTime(start);
    return value;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    checkOpen();
    requireKeys(keys);
    long start = System.nanoTime();
    Map<K, V> found = new HashMap<>();
    Events<K, V> events = events();
    for (K key : keys) {
      V value = withLock(key, () -> read(key, events));
      if (value != null) {
        found.put(key, value);
      }
    }
    statistics.getTime(start);
    return found;
  }

  /** A get of one key, under its lock: a hit, or a miss loaded through on a read-through cache. */
  private V read(K key, Events<K, V> events) {
    long now = ticker.read();
    Record r = live(key, now, events);
    if (r != null) {
      statistics.hit();
      touch(r, now);
      V value = value(r);
      events.deliver();
      return value;
    }
    statistics.miss();
    V loaded = configuration.isReadThrough() ? load(key) : null;
    if (loaded != null) {
      create(key, loaded, now, events);
    }
    events.deliver();
    return loaded;
  }

  @Override
  public boolean containsKey(K key) {
    checkOpen();
    requireKey(key);
    return withLock(
        key,
        () -> {
          Record r = store.get(key);
          return r != null && !r.expiredAt(ticker.read());
        });
  }

  @Override
  public void loadAll(
      Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    checkOpen();
    requireKeys(keys);
    CompletionListener done = listener == null ? NO_LISTENER : listener;
    if (loader == null) {
      done.onCompletion();
      return;
    }
    List<K> wanted = new ArrayList<>(keys);
    executor.execute(
        () -> {
          try {
            List<K> toLoad = new ArrayList<>();
            for (K key : wanted) {
              if (replaceExistingValues || !containsKey(key)) {
                toLoad.add(key);
              }
            }
            Map<K, V> loaded = loadEach(toLoad);
            for (Map.Entry<K, V> e : loaded.entrySet()) {
              if (e.getKey() != null && e.getValue() != null) {
                putLoaded(e.getKey(), e.getValue(), replaceExistingValues);
              }
            }
            done.onCompletion();
          } catch (Exception e) {
            done.onException(e);
          }
        });
  }

  private void putLoaded(K key, V value, boolean replace) {
    Events<K, V> events = events();
    withLock(
        key,
        () -> {
          long now = ticker.read();
          Record r = live(key, now, events);
          if (r == null) {
            create(key, value, now, events);
          } else if (replace) {
            update(key, r, value, now, events);
          }
          events.deliver();
          return null;
        });
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    checkOpen();
    requireEntry(key, value);
    long start = System.nanoTime();
    Events<K, V> events = events();
    withLock(
        key,
        () -> {
          long now = ticker.read();
          Record r = live(key, now, events);
          write(key, value);
          if (r == null ? create(key, value, now, events) : update(key, r, value, now, events)) {
            statistics.put(1);
          }
          events.deliver();
          return null;
        });
    statistics.putTime(start);
  }

  @Override
  public V getAndPut(K key, V value) {
    checkOpen();
    requireEntry(key, value);
    long start = System.nanoTime();
    Events<K, V> events = events();
    V old =
        withLock(
            key,
            () -> {
              long now = ticker.read();
              Record r = live(key, now, events);
              write(key, value);
              V previous = r == null ? null : value(r);
              if (r == null) {
                statistics.miss();
              } else {
                statistics.hit();
              }
              if (r == null
                  ? create(key, value, now, events)
                  : update(key, r, value, now, events)) {
                statistics.put(1);
              }
              events.deliver();
              return previous;
            });
    statistics.getTime(start);
    statistics.putTime(start);
    return old;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    checkOpen();
    Objects.requireNonNull(map, "map must not be null");
    Map<K, V> entries = new LinkedHashMap<>();
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      requireEntry(e.getKey(), e.getValue());
      entries.put(e.getKey(), e.getValue());
    }
    long start = System.nanoTime();
    Set<K> written = new HashSet<>(entries.keySet());
    CacheWriterException failure = null;
    if (writesThrough() && !entries.isEmpty()) {
      List<Cache.Entry<? extends K, ? extends V>> toWrite = new ArrayList<>();
      entries.forEach((k, v) -> toWrite.add(new FreshEntry<>(k, v)));
      try {
        writer.writeAll(toWrite);
      } catch (Exception e) {
        failure = writerFailure(e);
        for (Cache.Entry<? extends K, ? extends V> notWritten : toWrite) {
          written.remove(notWritten.getKey());
        }
      }
    }
    Events<K, V> events = events();
    for (Map.Entry<K, V> e : entries.entrySet()) {
      if (!written.contains(e.getKey())) {
        continue;
      }
      K key = e.getKey();
      V value = e.getValue();
      withLock(
          key,
          () -> {
            long now = ticker.read();
            Record r = live(key, now, events);
            if (r == null ? create(key, value, now, events) : update(key, r, value, now, events)) {
              statistics.put(1);
            }
            events.deliver();
            return null;
          });
    }
    statistics.putTime(start);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    checkOpen();
    requireEntry(key, value);
    long start = System.nanoTime();
    Events<K, V> events = events();
    boolean stored =
        withLock(
            key,
            () -> {
              long now = ticker.read();
              Record r = live(key, now, events);
              if (r != null) {
                statistics.hit();
                events.deliver();
                return false;
              }
              statistics.miss();
              write(key, value);
              if (create(key, value, now, events)) {
                statistics.put(1);
              }
              events.deliver();
              return true;
            });
    statistics.putTime(start);
    return stored;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    checkOpen();
    requireEntry(key, newValue);
    Objects.requireNonNull(oldValue, "oldValue must not be null");
    long start = System.nanoTime();
    Events<K, V> events = events();
    boolean replaced =
        withLock(
            key,
            () -> {
              long now = ticker.read();
              Record r = live(key, now, events);
              if (r == null) {
                statistics.miss();
                events.deliver();
                return false;
              }
              statistics.hit();
              if (!oldValue.equals(value(r))) {
                touch(r, now);
                events.deliver();
                return false;
              }
              write(key, newValue);
              update(key, r, newValue, now, events);
              statistics.put(1);
              events.deliver();
              return true;
            });
    statistics.putTime(start);
    return replaced;
  }

  @Override
  public boolean replace(K key, V value) {
    checkOpen();
    requireEntry(key, value);
    long start = System.nanoTime();
    Events<K, V> events = events();
    boolean replaced =
        withLock(
            key,
            () -> {
              long now = ticker.read();
              Record r = live(key, now, events);
              if (r == null) {
                statistics.miss();
                events.deliver();
                return false;
              }
              statistics.hit();
              write(key, value);
              update(key, r, value, now, events);
              statistics.put(1);
              events.deliver();
              return true;
            });
    statistics.putTime(start);
    return replaced;
  }

  @Override
  public V getAndReplace(K key, V value) {
    checkOpen();
    requireEntry(key, value);
    long start = System.nanoTime();
    Events<K, V> events = events();
    V old =
        withLock(
            key,
            () -> {
              long now = ticker.read();
              Record r = live(key, now, events);
              if (r == null) {
                statistics.miss();
                events.deliver();
                return null;
              }
              statistics.hit();
              V previous = value(r);
              write(key, value);
              update(key, r, value, now, events);
              statistics.put(1);
              events.deliver();
              return previous;
            });
    statistics.getTime(start);
    statistics.putTime(start);
    return old;
  }

  // ---------------------------------------------------------------- removals

  @Override
  public boolean remove(K key) {
    checkOpen();
    requireKey(key);
    long start = System.nanoTime();
    Events<K, V> events = events();
    boolean removed =
        withLock(
            key,
            () -> {
              long now = ticker.read();
              Record r = live(key, now, events);
              delete(key);
              boolean was = discard(key, r, events);
              events.deliver();
              return was;
            });
    statistics.removeTime(start);
    return removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    checkOpen();
    requireKey(key);
    Objects.requireNonNull(oldValue, "oldValue must not be null");
    long start = System.nanoTime();
    Events<K, V> events = events();
    boolean removed =
        withLock(
            key,
            () -> {
              long now = ticker.read();
              Record r = live(key, now, events);
              if (r == null) {
                statistics.miss();
                events.deliver();
                return false;
              }
              statistics.hit();
              if (!oldValue.equals(value(r))) {
                touch(r, now);
                events.deliver();
                return false;
              }
              delete(key);
              discard(key, r, events);
              events.deliver();
              return true;
            });
    statistics.removeTime(start);
    return removed;
  }

  @Override
  public V getAndRemove(K key) {
    checkOpen();
    requireKey(key);
    long start = System.nanoTime();
    Events<K, V> events = events();
    V old =
        withLock(
            key,
            () -> {
              long now = ticker.read();
              Record r = live(key, now, events);
              delete(key);
              V previous = r == null ? null : value(r);
              if (r == null) {
                statistics.miss();
              } else {
                statistics.hit();
              }
              discard(key, r, events);
              events.deliver();
              return previous;
            });
    statistics.getTime(start);
    statistics.removeTime(start);
    return old;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    checkOpen();
    requireKeys(keys);
    removeEach(new ArrayList<>(keys));
  }

  @Override
  @SuppressWarnings("unchecked")
  public void removeAll() {
    checkOpen();
    List<K> keys = new ArrayList<>();
    for (Object stored : store.keys()) {
      keys.add((K) copier.key(stored));
    }
    removeEach(keys);
  }

  private void removeEach(List<K> keys) {
    long start = System.nanoTime();
    Set<K> deleted = new HashSet<>(keys);
    CacheWriterException failure = null;
    if (writesThrough() && !keys.isEmpty()) {
      List<K> toDelete = new ArrayList<>(keys);
      try {
        writer.deleteAll(toDelete);
      } catch (Exception e) {
        failure = writerFailure(e);
        deleted.removeAll(toDelete);
      }
    }
    Events<K, V> events = events();
    for (K key : keys) {
      if (!deleted.contains(key)) {
        continue;
      }
      withLock(
          key,
          () -> {
            Record r = live(key, ticker.read(), events);
            discard(key, r, events);
            events.deliver();
            return null;
          });
    }
    statistics.removeTime(start);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void clear() {
    checkOpen();
    store.clear();
  }

  // ---------------------------------------------------------------- entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    checkOpen();
    requireKey(key);
    Objects.requireNonNull(processor, "entryProcessor must not be null");
    Events<K, V> events = events();
    return withLock(key, () -> process(key, processor, arguments, events));
  }

  private <T> T process(
      K key, EntryProcessor<K, V, T> processor, Object[] arguments, Events<K, V> events) {
    long start = System.nanoTime();
    long now = ticker.read();
    Record r = live(key, now, events);
    ProcessorEntry<K, V> entry =
        new ProcessorEntry<>(
            key, r == null ? null : value(r), configuration.isReadThrough() ? this::load : null);
    T result;
    try {
      result = processor.process(entry, arguments);
    } catch (EntryProcessorException e) {
      events.deliver();
      throw e;
    } catch (Exception e) {
      events.deliver();
      throw new EntryProcessorException(e);
    }
    switch (entry.outcome()) {
      case NONE -> {
        if (r == null) {
          statistics.miss();
        } else {
          statistics.hit();
        }
      }
      case ACCESSED -> {
        statistics.hit();
        touch(r, now);
        statistics.getTime(start);
      }
      case LOADED -> {
        statistics.miss();
        if (create(key, entry.getValue(), now, events)) {
          statistics.put(1);
        }
      }
      case CREATED -> {
        statistics.miss();
        write(key, entry.getValue());
        if (create(key, entry.getValue(), now, events)) {
          statistics.put(1);
        }
        statistics.putTime(start);
      }
      case UPDATED -> {
        statistics.hit();
        write(key, entry.getValue());
        update(key, r, entry.getValue(), now, events);
        statistics.put(1);
        statistics.putTime(start);
      }
      case REMOVED -> {
        if (r == null) {
          statistics.miss();
        } else {
          statistics.hit();
        }
        delete(key);
        discard(key, r, events);
        statistics.removeTime(start);
      }
    }
    events.deliver();
    return result;
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(
      Set<? extends K> keys, EntryProcessor<K, V, T> processor, Object... arguments) {
    checkOpen();
    requireKeys(keys);
    Objects.requireNonNull(processor, "entryProcessor must not be null");
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (EntryProcessorException e) {
        results.put(
            key,
            () -> {
              throw e;
            });
      } catch (RuntimeException e) {
        EntryProcessorException wrapped = new EntryProcessorException(e);
        results.put(
            key,
            () -> {
              throw wrapped;
            });
      }
    }
    return results;
  }

  // ---------------------------------------------------------------- iteration

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    checkOpen();
    Iterator<Object> keys = store.keys().iterator();
    return new Iterator<>() {
      private Cache.Entry<K, V> next;
      private K last;

      @Override
      public boolean hasNext() {
        while (next == null && keys.hasNext()) {
          next = visit(keys.next());
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
        FreshJCache.this.remove(key);
      }
    };
  }

  /** The entry of a key met while iterating, counted as a read; null if it left meanwhile. */
  @SuppressWarnings("unchecked")
  private Cache.Entry<K, V> visit(Object storedKey) {
    K key = (K) copier.key(storedKey);
    Events<K, V> events = events();
    return withLock(
        key,
        () -> {
          long now = ticker.read();
          Record r = live(key, now, events);
          Cache.Entry<K, V> entry = null;
          if (r != null) {
            statistics.hit();
            touch(r, now);
            entry = new FreshEntry<>(key, value(r));
          }
          events.deliver();
          return entry;
        });
  }

  // ---------------------------------------------------------------- listeners, configuration

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    checkOpen();
    Objects.requireNonNull(listener, "cacheEntryListenerConfiguration must not be null");
    synchronized (configuration) {
      listeners.register(listener);
      configuration.addCacheEntryListenerConfiguration(listener);
    }
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    checkOpen();
    Objects.requireNonNull(listener, "cacheEntryListenerConfiguration must not be null");
    synchronized (configuration) {
      if (listeners.deregister(listener)) {
        configuration.removeCacheEntryListenerConfiguration(listener);
      }
    }
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    Objects.requireNonNull(clazz, "clazz must not be null");
    MutableConfiguration<K, V> copy;
    synchronized (configuration) {
      copy = new MutableConfiguration<>(configuration);
    }
    if (clazz.isInstance(copy)) {
      return clazz.cast(copy);
    }
    throw new IllegalArgumentException(
        "cache '"
            + name
            + "' has a "
            + MutableConfiguration.class.getName()
            + ", which is not a "
            + clazz.getName());
  }

  void setStatisticsEnabled(boolean enabled) {
    synchronized (configuration) {
      if (enabled) {
        Management.register(this, Management.Kind.STATISTICS, statistics);
      } else {
        Management.unregister(this, Management.Kind.STATISTICS);
      }
      statistics.enabled(enabled);
      configuration.setStatisticsEnabled(enabled);
    }
  }

  void setManagementEnabled(boolean enabled) {
    synchronized (configuration) {
      if (enabled) {
        Management.register(this, Management.Kind.CONFIGURATION, configurationBean);
      } else {
        Management.unregister(this, Management.Kind.CONFIGURATION);
      }
      configuration.setManagementEnabled(enabled);
    }
  }

  Statistics statistics() {
    return statistics;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    Objects.requireNonNull(clazz, "clazz must not be null");
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz == FreshCache.class) {
      return clazz.cast(store.tokens());
    }
    throw new IllegalArgumentException(
        "cache '"
            + name
            + "' unwraps to "
            + FreshJCache.class.getName()
            + " or to the FreshCache of its entries' tokens, not to "
            + clazz.getName());
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    manager.release(this);
    setStatisticsEnabled(false);
    setManagementEnabled(false);
    Closing.quietly(loader, "cache loader");
    Closing.quietly(writer, "cache writer");
    Closing.quietly(expiry.policy(), "expiry policy");
    listeners.close();
    store.forget();
    store.tokens().close();
  }

  /** Closes the cache after removing every entry, here and on the group's other instances. */
  void destroy() {
    if (!closed) {
      store.clear();
    }
    close();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  // ---------------------------------------------------------------- the steps of each operation

  /** The key's record if it is alive at {@code now}; an expired one is dropped, with its event. */
  private Record live(K key, long now, Events<K, V> events) {
    Record r = store.get(key);
    if (r != null && r.expiredAt(now)) {
      store.expire(key, r);
      events.expired(key, value(r));
      return null;
    }
    return r;
  }

  /** Stores a new entry unless the policy says it expires at once; true if stored. */
  private boolean create(K key, V value, long now, Events<K, V> events) {
    long expiresAt = expiry.onCreation(now);
    if (expiresAt == Record.EXPIRED) {
      return false;
    }
    Object storedKey = copier.key(key);
    store.put(storedKey, new Record(store.name(key), copier.store(value), expiresAt));
    events.created(key, value);
    return true;
  }

  /** Replaces an entry's value; its expiry time as the policy says for an update. */
  private boolean update(K key, Record old, V value, long now, Events<K, V> events) {
    long asked = expiry.onUpdate(now);
    long expiresAt = asked == ExpiryRules.UNCHANGED ? old.expiresAt() : asked;
    V oldValue = value(old);
    store.put(copier.key(key), new Record(old.name, copier.store(value), expiresAt));
    events.updated(key, value, oldValue);
    return true;
  }

  /** Removes a key here and on the group's other instances; true if it had a live entry here. */
  private boolean discard(K key, Record r, Events<K, V> events) {
    store.remove(key, r == null ? store.name(key) : r.name);
    if (r == null) {
      return false;
    }
    statistics.removal(1);
    events.removed(key, value(r));
    return true;
  }

  /** Applies the policy's expiry for an access. */
  private void touch(Record r, long now) {
    long asked = expiry.onAccess(now);
    if (asked != ExpiryRules.UNCHANGED) {
      r.expiresAt(asked);
    }
  }

  @SuppressWarnings("unchecked")
  private V value(Record r) {
    return (V) copier.load(r.stored);
  }

  private V load(K key) {
    if (loader == null) {
      return null;
    }
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("cache '" + name + "': the cache loader failed: " + e, e);
    }
  }

  private Map<K, V> loadEach(List<K> keys) {
    try {
      Map<K, V> loaded = loader.loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("cache '" + name + "': the cache loader failed: " + e, e);
    }
  }

  private boolean writesThrough() {
    return writer != null && configuration.isWriteThrough();
  }

  private void write(K key, V value) {
    if (writesThrough()) {
      try {
        writer.write(new FreshEntry<>(key, value));
      } catch (Exception e) {
        throw writerFailure(e);
      }
    }
  }

  private void delete(K key) {
    if (writesThrough()) {
      try {
        writer.delete(key);
      } catch (Exception e) {
        throw writerFailure(e);
      }
    }
  }

  private CacheWriterException writerFailure(Exception e) {
    return e instanceof CacheWriterException w
        ? w
        : new CacheWriterException("cache '" + name + "': the cache writer failed: " + e, e);
  }

  private Events<K, V> events() {
    return new Events<>(this, listeners);
  }

  private interface Step<T> {
    T run();
  }

  private <T> T withLock(K key, Step<T> step) {
    locks.lock(key);
    try {
      return step.run();
    } finally {
      locks.unlock(key);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  private void requireKey(K key) {
    Objects.requireNonNull(key, "key must not be null");
    if (!keyType.isInstance(key)) {
      throw new ClassCastException(
          "cache '"
              + name
              + "' holds keys of "
              + keyType.getName()
              + ", not "
              + key.getClass().getName());
    }
  }

  private void requireEntry(K key, V value) {
    requireKey(key);
    Objects.requireNonNull(value, "value must not be null");
    if (!valueType.isInstance(value)) {
      throw new ClassCastException(
          "cache '"
              + name
              + "' holds values of "
              + valueType.getName()
              + ", not "
              + value.getClass().getName());
    }
  }

  private void requireKeys(Collection<? extends K> keys) {
    Objects.requireNonNull(keys, "keys must not be null");
    for (K key : keys) {
      requireKey(key);
    }
  }

  private static final CompletionListener NO_LISTENER =
      new CompletionListener() {
        @Override
        public void onCompletion() {}

        @Override
        public void onException(Exception e) {}
      };

  @Override
  public String toString() {
    return "FreshJCache[" + name + " in " + manager.getURI() + "]";
  }
}
