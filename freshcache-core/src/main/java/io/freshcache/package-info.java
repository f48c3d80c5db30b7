/**
 * freshcache's user API: a cache in front of a source of truth, with named expiry, refresh, write
 * and invalidation strategies, alone or in a {@link io.freshcache.CacheGroup} that keeps every
 * instance of an application in step.
 *
 * <p>Where to start: {@link io.freshcache.FreshCache#builder(String, Class, Class)} for one cache;
 * {@link io.freshcache.CacheGroup#builder(String)} for a group of caches sharing a bus and a shared
 * tier. What lives here: the cache ({@link io.freshcache.FreshCache}, {@link
 * io.freshcache.AsyncFreshCache}) and group, their builders, the policies ({@link
 * io.freshcache.Expiry}, {@link io.freshcache.Refresh}, {@link io.freshcache.Writes}), put options
 * ({@link io.freshcache.Tags}, {@link io.freshcache.DependsOn}, {@link io.freshcache.Version}), the
 * SPIs a user implements ({@link io.freshcache.Source}, {@link io.freshcache.Writer}, {@link
 * io.freshcache.KeyCodec}, {@link io.freshcache.ValueCodec}, {@link io.freshcache.Weigher}, {@link
 * io.freshcache.RemovalListener} with its {@link io.freshcache.RemovalCause}), the exceptions, and
 * {@link io.freshcache.InProcessBus}.
 *
 * <p>Beside it: {@link io.freshcache.event} (invalidations and their wire format), {@link
 * io.freshcache.stats} (counters and analytics snapshots), {@link io.freshcache.spi} (what a bus or
 * shared-tier provider implements). Everything else in this package is the engine, package-private,
 * and may change without notice. The core depends on Caffeine, SLF4J and Jackson (the wire format
 * and the default value codec), Micrometer optionally; never on Redis, a database or the CLI.
 */
package io.freshcache;
