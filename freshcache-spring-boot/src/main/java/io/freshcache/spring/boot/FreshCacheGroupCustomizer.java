package io.freshcache.spring.boot;

import io.freshcache.CacheGroupBuilder;

/**
 * Adjusts the auto-configured group's builder after the {@code freshcache.*} properties: for
 * settings no property has, such as {@code eventKeys(...)}, {@code outboxMarkers(...)} or an
 * instance id. Settings are set-once, so a customizer must not repeat one the properties gave.
 */
@FunctionalInterface
public interface FreshCacheGroupCustomizer {

  /** Adjusts {@code builder} before the group is built. */
  void customize(CacheGroupBuilder builder);
}
