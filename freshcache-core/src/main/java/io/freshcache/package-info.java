/**
 * freshcache's public API: a cache in front of a source of truth, with named expiry, refresh and
 * invalidation strategies.
 *
 * <p>Start with {@link io.freshcache.FreshCache#builder(String, Class, Class)}. The types a user
 * touches live here: {@link io.freshcache.FreshCache} and {@link io.freshcache.AsyncFreshCache},
 * the strategies ({@link io.freshcache.Expiry}, {@link io.freshcache.Refresh}), the {@link
 * io.freshcache.Source} SPI and the analytics snapshots. Everything else in this package is
 * package-private and may change without notice. This package depends on Caffeine and SLF4J only
 * (Micrometer optionally); it never depends on Redis, JDBC or the CLI.
 */
package io.freshcache;
