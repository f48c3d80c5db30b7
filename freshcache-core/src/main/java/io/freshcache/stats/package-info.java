/**
 * What a cache and a group report of themselves: immutable snapshots that can grow without breaking
 * callers. {@link io.freshcache.stats.CacheStats} (one cache's counters; {@code plus}, {@code
 * minus}), {@link io.freshcache.stats.GroupStats} (a group instance's bus and shared-tier figures),
 * {@link io.freshcache.stats.PropagationLag}, and the per-key view {@link
 * io.freshcache.stats.CacheAnalytics} / {@link io.freshcache.stats.KeyAnalytics}.
 *
 * <p>Where to start: {@code cache.analytics().stats()} and {@code group.stats()}. The same figures
 * are published as Micrometer meters when a registry is given to the builders.
 */
package io.freshcache.stats;
