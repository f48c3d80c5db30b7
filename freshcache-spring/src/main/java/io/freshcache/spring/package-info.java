/**
 * freshcache behind Spring's cache abstraction: {@link io.freshcache.spring.FreshCacheManager} and
 * {@link io.freshcache.spring.FreshSpringCache} over a {@link io.freshcache.CacheGroup}, per-cache
 * settings ({@link io.freshcache.spring.CacheSpec}, {@link
 * io.freshcache.spring.FreshCacheCustomizer}), and tag, pattern and cascade invalidation that waits
 * for the transaction's commit ({@link io.freshcache.spring.FreshCacheInvalidator}, {@link
 * io.freshcache.spring.Invalidate}). The Spring Boot auto-configuration lives in the {@code
 * freshcache-spring-boot} module.
 */
package io.freshcache.spring;
