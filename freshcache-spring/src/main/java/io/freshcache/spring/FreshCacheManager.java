package io.freshcache.spring;

import io.freshcache.CacheGroup;
import io.freshcache.DependsOn;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.FreshCacheBuilder;
import io.freshcache.Source;
import io.freshcache.Tags;
import io.freshcache.event.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} over a freshcache {@link CacheGroup}: one freshcache cache per
 * Spring cache name, built from a {@link CacheSpec} that the manager's customizers fill in. What a
 * cache does is described on {@link FreshSpringCache}.
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop").bus(RedisBus.builder(uri))
 *     .shared(RedisSharedTier.builder(uri)).build();
 * FreshCacheManager caches = FreshCacheManager.builder(shop)
 *     .customizer(spec -> spec.expiry(Expiry.ttl(Duration.ofMinutes(10)).jitter(0.2)))
 *     .cacheNames("users", "products")
 *     .build();
 * }</pre>
 *
 * <p>Caches named up front are built with the manager; others are built on first use unless the
 * manager is {@linkplain FreshCacheManagerBuilder#dynamic(boolean) fixed}. The manager does not own
 * the group: closing the group closes its caches. Thread-safe.
 */
public final class FreshCacheManager implements CacheManager {

  private final CacheGroup group;
  private final boolean dynamic;
  private final boolean allowNullValues;
  private final List<FreshCacheCustomizer> customizers;
  private final List<String> trustedPackages;
  private final List<Consumer<? super FreshSpringCache>> listeners;
  private final Map<String, FreshSpringCache> caches = new ConcurrentHashMap<>();
  private final Set<String> names = Collections.synchronizedSet(new LinkedHashSet<>());

  FreshCacheManager(FreshCacheManagerBuilder b) {
    this.group = b.group;
    this.dynamic = b.dynamic;
    this.allowNullValues = b.allowNullValues;
    this.customizers = List.copyOf(b.customizers);
    this.trustedPackages = List.copyOf(b.trustedPackages);
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    for (String name : b.cacheNames) {
      create(name);
    }
  }

  /** Starts a builder for a manager over {@code group}. */
  public static FreshCacheManagerBuilder builder(CacheGroup group) {
    return new FreshCacheManagerBuilder(group);
  }

  @Override
  public FreshSpringCache getCache(String name) {
    FreshSpringCache cache = caches.get(name);
    return cache != null || !dynamic ? cache : create(name);
  }

  private FreshSpringCache create(String name) {
    boolean[] built = new boolean[1];
    FreshSpringCache cache =
        caches.computeIfAbsent(
            name,
            n -> {
              built[0] = true;
              return build(n);
            });
    if (built[0]) {
      names.add(name);
      listeners.forEach(listener -> listener.accept(cache));
    }
    return cache;
  }

  @Override
  public Collection<String> getCacheNames() {
    synchronized (names) {
      return List.copyOf(names);
    }
  }

  /** The group every cache of this manager belongs to. */
  public CacheGroup group() {
    return group;
  }

  /** The name a key of the Spring cache {@code cacheName} has in the group, e.g. "users:42". */
  public String keyName(String cacheName, Object key) {
    FreshSpringCache cache = getCache(cacheName);
    if (cache == null) {
      throw new IllegalArgumentException(
          "no cache named '" + cacheName + "'; this manager holds " + getCacheNames());
    }
    return cache.keyName(key);
  }

  /**
   * Calls {@code listener} for every cache built from now on (and not for those already built): for
   * example to bind each cache's meters as it appears.
   */
  public void whenCacheBuilt(Consumer<? super FreshSpringCache> listener) {
    listeners.add(listener);
  }

  private FreshSpringCache build(String name) {
    if (!Names.isName(name)) {
      throw new FreshCacheConfigurationException(
          null,
          "the cache name \""
              + name
              + "\" is not a valid freshcache cache name (1 to 128 letters, digits and . _ : -,"
              + " starting with a letter or digit)",
          "rename the cache where it is declared (@Cacheable, @CacheConfig, @CachePut,"
              + " @CacheEvict, spring.cache.cache-names or freshcache.caches), e.g. \""
              + suggest(name)
              + "\"");
    }
    CacheSpec spec = new CacheSpec(name);
    customizers.forEach(c -> c.customize(spec));
    boolean allowNull = spec.allowNullValues != null ? spec.allowNullValues : allowNullValues;
    if (spec.nullTtl != null && spec.allowNullValues != null && !spec.allowNullValues) {
      throw new FreshCacheConfigurationException(
          null,
          "cache '" + name + "' has a nullTtl but does not allow null values",
          "drop nullTtl, or allow null values for it");
    }
    allowNull |= spec.nullTtl != null;
    FreshCacheBuilder<String, Object> b = group.cache(name, String.class, Object.class);
    String prefix = spec.keyPrefix != null ? spec.keyPrefix : name + ":";
    if (!prefix.isEmpty()) {
      b.keyPrefix(prefix);
    }
    if (spec.maximumSize != null) {
      b.maximumSize(spec.maximumSize);
    }
    Expiry<? super String, ? super Object> expiry = spec.expiry;
    if (spec.nullTtl != null) {
      expiry = new NullAwareExpiry(expiry != null ? expiry : Expiry.never(), spec.nullTtl);
    }
    if (expiry != null) {
      b.expiry(expiry);
    }
    if (spec.refresh != null && spec.source == null) {
      throw new FreshCacheConfigurationException(
          null,
          "cache '"
              + name
              + "' has a refresh or stale window, which reloads entries in the background from"
              + " the cache's source, but it has none",
          "give it one with spec.source(key -> ...), or drop spec.refresh(...)");
    }
    if (spec.source != null) {
      Source<? super String, ?> source = spec.source;
      b.source(key -> source.load(key));
    }
    if (spec.refresh != null) {
      b.refresh(spec.refresh);
    }
    if (!spec.tags.isEmpty()) {
      List<Function<Object, Tags>> tagsOf = List.copyOf(spec.tags);
      b.tags((key, value) -> merge(tagsOf, value));
    }
    if (spec.dependsOn != null) {
      Function<Object, DependsOn> dependsOn = spec.dependsOn;
      b.dependsOn((key, value) -> dependsOn.apply(value));
    }
    if (spec.version != null) {
      b.version(spec.version);
    }
    if (spec.writes != null) {
      b.writes(spec.writes);
    }
    if (spec.executor != null) {
      b.executor(spec.executor);
    }
    if (spec.ticker != null) {
      b.ticker(spec.ticker);
    }
    b.valueCodec(
        spec.valueCodec != null || spec.valueType != null
            ? SharedValues.of(name, spec.valueType, spec.valueCodec)
            : SharedValues.typed(name, trustedPackages));
    FreshCache<String, Object> cache = b.build();
    return new FreshSpringCache(cache, KeyNames.DEFAULT, allowNull);
  }

  private static Tags merge(List<Function<Object, Tags>> tagsOf, Object value) {
    List<String> all = new ArrayList<>();
    for (var f : tagsOf) {
      Tags tags = f.apply(value);
      if (tags != null) {
        all.addAll(tags.names());
      }
    }
    return all.isEmpty() ? null : Tags.of(all);
  }

  private static String suggest(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._:-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    if (s.isEmpty()) {
      s = "cache";
    }
    return s.length() > 128 ? s.substring(0, 128) : s;
  }

  @Override
  public String toString() {
    return "FreshCacheManager[" + group.name() + ", caches " + getCacheNames() + "]";
  }
}
