package io.freshcache.jcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.FreshCache;
import io.freshcache.FreshCacheBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
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
  private final ThroughCalls<K, V> through;
  private final Entries<K, V> entries;
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
      FreshCacheBuilder<String, Object> tokens,
      Ticker ticker,
      Executor executor) {
    this.manager = manager;
    this.name = name;
    this.configuration = new MutableConfiguration<>(given);
    this.keyType = configuration.getKeyType();
    this.valueType = configuration.getValueType();
    this.copier = Copier.of(configuration.isStoreByValue(), manager.getClassLoader());
    this.expiry = new ExpiryRules(name, configuration.getExpiryPolicyFactory().create());
    this.through =
        new ThroughCalls<>(
            name,
            configuration.getCacheLoaderFactory() == null
                ? null
                : configuration.getCacheLoaderFactory().create(),
            configuration.getCacheWriterFactory() == null
                ? null
                : (CacheWriter<K, V>) configuration.getCacheWriterFactory().create(),
            configuration.isReadThrough(),
            configuration.isWriteThrough());
    this.ticker = ticker;
    this.executor = executor;
    this.listeners = new Listeners<>(executor);
    for (CacheEntryListenerConfiguration<K, V> c :
        configuration.getCacheEntryListenerConfigurations()) {
      listeners.register(c);
    }
    this.store = new EntryStore(tokens, new KeyNames(keyType));
    this.entries = new Entries<>(store, copier, expiry, statistics);
    try {
      if (configuration.isManagementEnabled()) {
        setManagementEnabled(true);
      }
      if (configuration.isStatisticsEnabled()) {
        setStatisticsEnabled(true);
      }
    } catch (RuntimeException e) {
      store.tokens().close(); // leave the group, so that the name can be created again
      throw e;
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
    Record r = entries.live(key, now, events);
    if (r != null) {
      statistics.hit();
      entries.touch(r, now);
      V value = entries.value(r);
      events.deliver();
      return value;
    }
    statistics.miss();
    V loaded = through.readsThrough() ? through.load(key) : null;
    if (loaded != null) {
      entries.create(key, loaded, now, events);
    }
    events.deliver();
    return loaded;
  }

  @Override
  public boolean containsKey(K key) {
    checkOpen();
    requireKey(key);
    return withLock(key, () -> entries.contains(key, ticker.read()));
  }

  @Override
  public void loadAll(
      Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    checkOpen();
    requireKeys(keys);
    CompletionListener done = listener == null ? NO_LISTENER : listener;
    if (!through.hasLoader()) {
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
            Map<K, V> loaded = through.loadAll(toLoad);
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
          Record r = entries.live(key, now, events);
          if (r == null) {
            entries.create(key, value, now, events);
          } else if (replace) {
            entries.update(key, r, value, now, events);
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
          Record r = entries.live(key, now, events);
          through.write(key, value);
          if (entries.set(key, r, value, now, events)) {
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
              Record r = entries.live(key, now, events);
              through.write(key, value);
              V previous = r == null ? null : entries.value(r);
              if (r == null) {
                statistics.miss();
              } else {
                statistics.hit();
              }
              if (entries.set(key, r, value, now, events)) {
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
    Map<K, V> given = new LinkedHashMap<>();
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      requireEntry(e.getKey(), e.getValue());
      given.put(e.getKey(), e.getValue());
    }
    long start = System.nanoTime();
    Set<K> written = new HashSet<>(given.keySet());
    CacheWriterException failure = null;
    if (through.writesThrough() && !given.isEmpty()) {
      List<Cache.Entry<? extends K, ? extends V>> toWrite = new ArrayList<>();
      given.forEach((k, v) -> toWrite.add(new FreshEntry<>(k, v)));
      failure = through.writeAll(toWrite);
      if (failure != null) {
        for (Cache.Entry<? extends K, ? extends V> notWritten : toWrite) {
          written.remove(notWritten.getKey());
        }
      }
    }
    Events<K, V> events = events();
    for (Map.Entry<K, V> e : given.entrySet()) {
      if (!written.contains(e.getKey())) {
        continue;
      }
      K key = e.getKey();
      V value = e.getValue();
      withLock(
          key,
          () -> {
            long now = ticker.read();
            Record r = entries.live(key, now, events);
            if (entries.set(key, r, value, now, events)) {
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
              Record r = entries.live(key, now, events);
              if (r != null) {
                statistics.hit();
                events.deliver();
                return false;
              }
              statistics.miss();
              through.write(key, value);
              if (entries.create(key, value, now, events)) {
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
              Record r = entries.live(key, now, events);
              if (r == null) {
                statistics.miss();
                events.deliver();
                return false;
              }
              statistics.hit();
              if (!oldValue.equals(entries.value(r))) {
                entries.touch(r, now);
                events.deliver();
                return false;
              }
              through.write(key, newValue);
              entries.update(key, r, newValue, now, events);
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
              Record r = entries.live(key, now, events);
              if (r == null) {
                statistics.miss();
                events.deliver();
                return false;
              }
              statistics.hit();
              through.write(key, value);
              entries.update(key, r, value, now, events);
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
              Record r = entries.live(key, now, events);
              if (r == null) {
                statistics.miss();
                events.deliver();
                return null;
              }
              statistics.hit();
              V previous = entries.value(r);
              through.write(key, value);
              entries.update(key, r, value, now, events);
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
              Record r = entries.live(key, now, events);
              through.delete(key);
              boolean was = entries.discard(key, r, events);
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
              Record r = entries.live(key, now, events);
              if (r == null) {
                statistics.miss();
                events.deliver();
                return false;
              }
              statistics.hit();
              if (!oldValue.equals(entries.value(r))) {
                entries.touch(r, now);
                events.deliver();
                return false;
              }
              through.delete(key);
              entries.discard(key, r, events);
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
              Record r = entries.live(key, now, events);
              through.delete(key);
              V previous = r == null ? null : entries.value(r);
              if (r == null) {
                statistics.miss();
              } else {
                statistics.hit();
              }
              entries.discard(key, r, events);
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
  public void removeAll() {
    checkOpen();
    List<K> keys = new ArrayList<>();
    for (Object stored : store.keys()) {
      keys.add(entries.key(stored));
    }
    removeEach(keys);
  }

  private void removeEach(List<K> keys) {
    long start = System.nanoTime();
    Set<K> deleted = new HashSet<>(keys);
    CacheWriterException failure = null;
    if (through.writesThrough() && !keys.isEmpty()) {
      List<K> toDelete = new ArrayList<>(keys);
      failure = through.deleteAll(toDelete);
      if (failure != null) {
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
            Record r = entries.live(key, ticker.read(), events);
            entries.discard(key, r, events);
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
    Record r = entries.live(key, now, events);
    ProcessorEntry<K, V> entry =
        new ProcessorEntry<>(
            key,
            r == null ? null : entries.value(r),
            through.readsThrough() ? through::load : null);
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
        entries.touch(r, now);
        statistics.getTime(start);
      }
      case LOADED -> {
        statistics.miss();
        if (entries.create(key, entry.getValue(), now, events)) {
          statistics.put(1);
        }
      }
      case CREATED -> {
        statistics.miss();
        through.write(key, entry.getValue());
        if (entries.create(key, entry.getValue(), now, events)) {
          statistics.put(1);
        }
        statistics.putTime(start);
      }
      case UPDATED -> {
        statistics.hit();
        through.write(key, entry.getValue());
        entries.update(key, r, entry.getValue(), now, events);
        statistics.put(1);
        statistics.putTime(start);
      }
      case REMOVED -> {
        if (r == null) {
          statistics.miss();
        } else {
          statistics.hit();
        }
        through.delete(key);
        entries.discard(key, r, events);
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
    return new EntryIterator<>(store.keys().iterator(), this::visit, this::remove);
  }

  /** The entry of a key met while iterating, counted as a read; null if it left meanwhile. */
  private Cache.Entry<K, V> visit(Object storedKey) {
    K key = entries.key(storedKey);
    Events<K, V> events = events();
    return withLock(
        key,
        () -> {
          long now = ticker.read();
          Record r = entries.live(key, now, events);
          Cache.Entry<K, V> entry = null;
          if (r != null) {
            statistics.hit();
            entries.touch(r, now);
            entry = new FreshEntry<>(key, entries.value(r));
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

  /** The records this instance holds, expired or not: for tests. */
  int held() {
    return store.size();
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
    through.close();
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

  // ---------------------------------------------------------------- helpers

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
