package io.freshcache.spring;

import io.freshcache.CacheGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Configures a {@link FreshCacheManager}. Not thread-safe; the manager copies its settings, so a
 * call after {@link #build()} changes nothing that runs.
 */
public final class FreshCacheManagerBuilder {

  final CacheGroup group;
  boolean dynamic = true;
  boolean allowNullValues = true;
  final List<String> cacheNames = new ArrayList<>();
  final List<FreshCacheCustomizer> customizers = new ArrayList<>();
  final List<String> trustedPackages = new ArrayList<>();
  final List<Consumer<? super FreshSpringCache>> listeners = new ArrayList<>();

  FreshCacheManagerBuilder(CacheGroup group) {
    this.group = Objects.requireNonNull(group, "group must not be null");
  }

  /** Caches built with the manager (the others on first use, if the manager is dynamic). */
  public FreshCacheManagerBuilder cacheNames(String... names) {
    for (String name : names) {
      cacheNames.add(Objects.requireNonNull(name, "a cache name must not be null"));
    }
    return this;
  }

  /**
   * Whether a name the manager has not built yet gets a cache on first use. With {@code false} and
   * {@link #cacheNames} given, only those exist (Spring then reports an unknown name). Default:
   * true.
   */
  public FreshCacheManagerBuilder dynamic(boolean dynamic) {
    this.dynamic = dynamic;
    return this;
  }

  /** Whether caches store nulls, unless a cache's spec says otherwise (Spring's default: true). */
  public FreshCacheManagerBuilder allowNullValues(boolean allow) {
    this.allowNullValues = allow;
    return this;
  }

  /** Adjusts every cache's {@link CacheSpec}, in the order given, before it is built. */
  public FreshCacheManagerBuilder customizer(FreshCacheCustomizer customizer) {
    customizers.add(Objects.requireNonNull(customizer, "customizer must not be null"));
    return this;
  }

  /**
   * Packages whose classes may be read back from the shared tier by caches without a declared value
   * type (the JDK's {@code java.lang}, {@code java.util}, {@code java.time} and {@code java.math}
   * always are). Unused without a shared tier.
   */
  public FreshCacheManagerBuilder trustedPackages(String... packages) {
    trustedPackages.addAll(Arrays.asList(packages));
    return this;
  }

  /** Calls {@code listener} with every cache the manager builds, including those named up front. */
  public FreshCacheManagerBuilder whenCacheBuilt(Consumer<? super FreshSpringCache> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
    return this;
  }

  /** Builds the manager and the caches named up front. */
  public FreshCacheManager build() {
    return new FreshCacheManager(this);
  }
}
