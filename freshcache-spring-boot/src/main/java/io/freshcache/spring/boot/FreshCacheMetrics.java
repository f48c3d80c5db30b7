package io.freshcache.spring.boot;

import io.freshcache.spring.FreshSpringCache;
import io.freshcache.stats.CacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Micrometer's standard cache meters ({@code cache.gets}, {@code cache.puts}, {@code
 * cache.evictions}, {@code cache.size}) for one Spring cache, and freshcache's own: loads, stale
 * hits, invalidations and loads voided by an invalidation.
 */
final class FreshCacheMetrics extends CacheMeterBinder<FreshSpringCache> {

  private final FreshSpringCache cache;

  FreshCacheMetrics(FreshSpringCache cache, Iterable<Tag> tags) {
    super(cache, cache.getName(), tags);
    this.cache = cache;
  }

  private CacheStats stats() {
    return cache.getNativeCache().analytics().stats();
  }

  @Override
  protected Long size() {
    return cache.getNativeCache().estimatedSize();
  }

  @Override
  protected long hitCount() {
    return stats().hits();
  }

  @Override
  protected Long missCount() {
    return stats().misses();
  }

  @Override
  protected Long evictionCount() {
    return stats().evictions();
  }

  @Override
  protected long putCount() {
    return cache.putCount();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    counter(
        registry, "cache.loads", "successful loads", s -> s.loadSuccesses(), "result", "success");
    counter(registry, "cache.loads", "failed loads", s -> s.loadFailures(), "result", "failure");
    counter(registry, "cache.invalidations", "entries invalidated", CacheStats::invalidations);
    counter(
        registry,
        "cache.loads.voided",
        "loads not stored: invalidated meanwhile",
        CacheStats::voidedLoads);
    counter(registry, "cache.gets.stale", "stale values served", CacheStats::staleHits);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      java.util.function.ToLongFunction<CacheStats> count,
      String... tags) {
    FunctionCounter.builder(name, cache, c -> count.applyAsLong(stats()))
        .tags(getTagsWithCacheName())
        .tags(tags)
        .description(description)
        .register(registry);
  }
}
