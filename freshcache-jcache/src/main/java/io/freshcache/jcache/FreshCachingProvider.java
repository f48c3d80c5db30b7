package io.freshcache.jcache;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The freshcache JCache (JSR-107 1.1.1) provider, found by {@code Caching.getCachingProvider()}
 * through {@code ServiceLoader}.
 *
 * <p>Each cache manager's caches live in one freshcache cache group. Which group is set by the
 * manager's URI and properties:
 *
 * <ul>
 *   <li>any URI that is not a Redis one, such as the default {@code freshcache:local}: a group of
 *       this process alone (no bus), named by {@link #NAMESPACE} ({@code jcache} by default);
 *   <li>a {@code redis://host:port} or {@code rediss://} URI, or the property {@link #REDIS_URI}: a
 *       group on a Redis bus, so that a put or a removal on one instance drops the key on every
 *       instance that uses the same Redis and namespace, within the bus's staleness bound ({@link
 *       #STALENESS_BOUND});
 *   <li>the property {@link #GROUP} holding a {@code CacheGroup} the application built itself (any
 *       bus, strict mode, metrics): the manager's caches join it, and closing the manager leaves it
 *       open.
 * </ul>
 *
 * <pre>{@code
 * Properties props = new Properties();
 * props.setProperty(FreshCachingProvider.NAMESPACE, "shop");
 * CacheManager manager = Caching.getCachingProvider()
 *     .getCacheManager(URI.create("redis://127.0.0.1:6379"), classLoader, props);
 * }</pre>
 *
 * <p>A property that is unknown or has a bad value fails {@code getCacheManager} with an {@code
 * IllegalArgumentException} that names it; a Redis that does not answer fails it with a {@code
 * CacheException}, unless {@link #FAIL_FAST} is {@code false} (the group then starts detached and
 * attaches when Redis answers). Managers are kept per class loader and URI until closed.
 * Thread-safe.
 */
public final class FreshCachingProvider implements CachingProvider {

  /** The Redis URI of the group's bus, when the manager's URI is not one itself. */
  public static final String REDIS_URI = "freshcache.redis.uri";

  /** The group's name, its namespace on the bus (default {@code jcache}). */
  public static final String NAMESPACE = "freshcache.namespace";

  /** The Redis bus's staleness bound, such as {@code 200ms} or {@code PT0.2S}. */
  public static final String STALENESS_BOUND = "freshcache.stalenessBound";

  /** {@code true} (default): fail when Redis does not answer; {@code false}: start detached. */
  public static final String FAIL_FAST = "freshcache.failFast";

  /** A {@code CacheGroup} object the manager's caches join (put the object in the properties). */
  public static final String GROUP = "freshcache.group";

  /** A Caffeine {@code Ticker} object: the clock of expiry, for tests. */
  public static final String TICKER = "freshcache.ticker";

  private static final URI DEFAULT_URI = URI.create("freshcache:local");

  private final WeakHashMap<ClassLoader, Map<URI, FreshCacheManager>> managers =
      new WeakHashMap<>();

  /** Made by {@code ServiceLoader}; applications reach it through {@code Caching}. */
  public FreshCachingProvider() {}

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI id = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    synchronized (managers) {
      Map<URI, FreshCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
      FreshCacheManager manager = byUri.get(id);
      if (manager == null) {
        Properties given = properties == null ? new Properties() : properties;
        ManagerSettings settings = ManagerSettings.of(id, given);
        manager = new FreshCacheManager(this, id, loader, given, settings);
        byUri.put(id, manager);
      }
      return manager;
    }
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    return getClass().getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    for (FreshCacheManager m : all(null)) {
      m.close();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    for (FreshCacheManager m : all(loader)) {
      m.close();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI id = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    FreshCacheManager manager;
    synchronized (managers) {
      Map<URI, FreshCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.get(id);
    }
    if (manager != null) {
      manager.close();
    }
  }

  @Override
  public boolean isSupported(OptionalFeature feature) {
    return switch (feature) {
      case STORE_BY_REFERENCE -> true;
    };
  }

  /** Called by a manager that closes: a later {@code getCacheManager} makes a new one. */
  void release(FreshCacheManager manager) {
    synchronized (managers) {
      Map<URI, FreshCacheManager> byUri = managers.get(manager.getClassLoader());
      if (byUri != null) {
        byUri.remove(manager.getURI(), manager);
        if (byUri.isEmpty()) {
          managers.remove(manager.getClassLoader());
        }
      }
    }
  }

  private List<FreshCacheManager> all(ClassLoader only) {
    synchronized (managers) {
      if (only != null) {
        Map<URI, FreshCacheManager> byUri = managers.get(only);
        return byUri == null ? List.of() : List.copyOf(byUri.values());
      }
      return managers.values().stream().flatMap(m -> m.values().stream()).toList();
    }
  }
}
