/**
 * freshcache on Redis: {@link io.freshcache.redis.RedisBus}, the invalidation bus for a fleet of
 * instances, speaking plain JSON on {@code cache:invalidation:<event_type>} and keeping a durable,
 * ordered copy of freshcache's own events in a Redis Stream; and {@link
 * io.freshcache.redis.RedisSharedTier}, the shared tier (entries in Redis, with leases, versions
 * and tags), not yet wired into the cache's read path. Both connect over verified TLS with a {@code
 * rediss://} URI (their builders' {@code trustCertificates} and {@code clientCertificate}); {@link
 * io.freshcache.redis.RedisTls} sets up a Lettuce client of one's own the same way.
 */
package io.freshcache.redis;
