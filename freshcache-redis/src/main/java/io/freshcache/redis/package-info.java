/**
 * freshcache on Redis: {@link io.freshcache.redis.RedisBus}, the invalidation bus for a fleet of
 * instances, speaking plain JSON on {@code cache:invalidation:<event_type>} and keeping a durable,
 * ordered copy of freshcache's own events in a Redis Stream; and {@link
 * io.freshcache.redis.RedisSharedTier}, the shared tier (entries in Redis, with leases, versions
 * and tags), which a cache group given it reads through on a local miss and keeps in step on writes
 * and invalidations. Both work with a standalone Redis or a Redis Cluster, can share Lettuce {@code
 * ClientResources} with other clients, and connect over verified TLS with a {@code rediss://} URI
 * (their builders' {@code trustCertificates} and {@code clientCertificate}); {@link
 * io.freshcache.redis.RedisTls} sets up a Lettuce client of one's own the same way. Everything else
 * here (settings, connections, the stream reader, the scripts) is package-private.
 */
package io.freshcache.redis;
