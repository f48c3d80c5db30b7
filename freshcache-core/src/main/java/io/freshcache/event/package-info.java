/**
 * The invalidation model and its wire format, shared by every module: what an instance, the Redis
 * module and the {@code freshcache} command read and write, from one implementation.
 *
 * <p>Where to start: {@link io.freshcache.event.Invalidation} (keys, tags, a pattern, an update,
 * everything; dispatch on its kind with {@link io.freshcache.event.Invalidation#match}) and {@link
 * io.freshcache.event.InvalidationEvent} (a typed event carrying one). {@link
 * io.freshcache.event.EventCodec} encodes events as the plain JSON of the bus and decodes them
 * strictly, with a typed {@link io.freshcache.event.EventCodec.Reason} for what is malformed.
 * {@link io.freshcache.event.EventKeys} signs and verifies events (HMAC-SHA256); {@link
 * io.freshcache.event.Names} holds the naming rules (groups, caches, keys, tags, globs) and {@link
 * io.freshcache.event.EventTypes} those of event types and subscriptions; {@link
 * io.freshcache.event.EventHandler} turns a domain event into invalidations.
 */
package io.freshcache.event;
