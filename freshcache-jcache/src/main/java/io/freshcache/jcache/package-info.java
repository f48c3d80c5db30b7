/**
 * freshcache as a JCache (JSR-107 1.1.1) provider: {@link
 * io.freshcache.jcache.FreshCachingProvider} and the property names it reads. Everything else here
 * is package-private: applications use the {@code javax.cache} API, and reach freshcache's own
 * types through {@code unwrap} (a manager unwraps to its {@code CacheGroup}).
 *
 * <p>What the provider adds to the specification: the caches of a manager live in a freshcache
 * cache group, so with a Redis bus a put, a removal or a {@code clear()} on one instance drops the
 * entries on every other instance, and an instance whose bus cannot prove it is current stops
 * serving its local entries (reads then load through, or miss). Entries dropped that way, like
 * evictions, raise no JCache event on the instances that drop them.
 */
package io.freshcache.jcache;
