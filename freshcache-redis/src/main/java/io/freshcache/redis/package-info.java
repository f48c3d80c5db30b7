/**
 * freshcache on Redis: {@link io.freshcache.redis.RedisBus}, the invalidation bus for a fleet of
 * instances, speaking the brief's JSON on {@code cache:invalidation:<event_type>} and keeping a
 * durable, ordered copy of freshcache's own events in a Redis Stream. The shared tier (entries in
 * Redis) is not built yet.
 */
package io.freshcache.redis;
