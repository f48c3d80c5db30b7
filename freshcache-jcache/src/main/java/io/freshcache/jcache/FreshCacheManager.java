package io.freshcache.jcache;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCacheBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * A JCache {@link CacheManager} over one freshcache {@link CacheGroup}: each JCache cache is a
 * cache of the group, so its puts and removals reach the group's other instances. The group is the
 * one {@link ManagerSettings} describes (opened and closed by this manager) or one the application
 * handed over (left open).
 */
final class FreshCacheManager implements CacheManager {

  private final FreshCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final ManagerSettings settings;
  private final CacheGroup group;
  private final ConcurrentHashMap<String, FreshJCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final ExecutorService executor;
  private volatile boolean closed;

  FreshCacheManager(
      FreshCachingProvider provider,
      URI uri,
      ClassLoader classLoader,
      Properties properties,
      ManagerSettings settings) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = classLoader;
    this.properties = properties;
    this.settings = settings;
    this.group = settings.openGroup();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread t = new Thread(task, "freshcache-jcache-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  /** The group this manager's caches belong to. */
  CacheGroup group() {
    return group;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(
      String cacheName, C configuration) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    Objects.requireNonNull(configuration, "configuration must not be null");
    CompleteConfiguration<K, V> complete = complete(configuration);
    synchronized (caches) {
      if (caches.containsKey(cacheName)) {
        throw new CacheException(
            "a cache named '"
                + cacheName
                + "' exists already in "
                + uri
                + "; use getCache(name) to reach it, or destroyCache(name) first");
      }
      FreshCacheBuilder<String, Object> tokens =
          group
              .cache(KeyNames.cacheName(cacheName), String.class, Object.class)
              .ticker(settings.ticker());
      FreshJCache<K, V> cache;
      try {
        cache = new FreshJCache<>(this, cacheName, complete, tokens, settings.ticker(), executor);
      } catch (IllegalStateException e) { // the group refuses a second cache of one name
        throw new CacheException(
            "cache '"
                + cacheName
                + "' cannot join the group '"
                + group.name()
                + "': "
                + e.getMessage()
                + "; a group holds one cache of each name, so give each cache manager a group of"
                + " its own (one per application instance)",
            e);
      }
      caches.put(cacheName, cache);
      return cache;
    }
  }

  private static <K, V> CompleteConfiguration<K, V> complete(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return complete;
    }
    MutableConfiguration<K, V> complete = new MutableConfiguration<>();
    complete.setTypes(configuration.getKeyType(), configuration.getValueType());
    complete.setStoreByValue(configuration.isStoreByValue());
    return complete;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    Objects.requireNonNull(keyType, "keyType must not be null");
    Objects.requireNonNull(valueType, "valueType must not be null");
    FreshJCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    Configuration<?, ?> c = cache.getConfiguration(CompleteConfiguration.class);
    if (c.getKeyType() != keyType || c.getValueType() != valueType) {
      throw new ClassCastException(
          "cache '"
              + cacheName
              + "' holds "
              + c.getKeyType().getName()
              + " keys and "
              + c.getValueType().getName()
              + " values, not "
              + keyType.getName()
              + " and "
              + valueType.getName());
    }
    return (Cache<K, V>) cache;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    return (Cache<K, V>) caches.get(cacheName);
  }

  @Override
  public Iterable<String> getCacheNames() {
    checkOpen();
    return Collections.unmodifiableList(new ArrayList<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    FreshJCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.destroy();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    FreshJCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    FreshJCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  /** Called by a cache that closes: the manager no longer hands it out. */
  void release(FreshJCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    provider.release(this);
    List<FreshJCache<?, ?>> open = new ArrayList<>(caches.values());
    for (FreshJCache<?, ?> cache : open) {
      cache.close();
    }
    executor.shutdown();
    settings.closeGroup(group);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    Objects.requireNonNull(clazz, "clazz must not be null");
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz == CacheGroup.class) {
      return clazz.cast(group);
    }
    throw new IllegalArgumentException(
        "a freshcache CacheManager unwraps to "
            + FreshCacheManager.class.getName()
            + " or to its "
            + CacheGroup.class.getName()
            + ", not to "
            + clazz.getName());
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the cache manager for " + uri + " is closed");
    }
  }

  @Override
  public String toString() {
    return "FreshCacheManager[" + uri + ", group " + group.name() + "]";
  }
}
