/**
 * {@code freshcache watch}: prints every invalidation event published on Redis, one line each.
 *
 * <p>Where to start: {@link io.freshcache.cli.watch.WatchCommand} subscribes to {@code
 * cache:invalidation:*} with a plain Lettuce connection (it never joins a group), decodes each
 * message with the library's {@link io.freshcache.event.EventCodec} — the decoder every instance
 * uses, so what watch shows as malformed is exactly what instances drop — and prints it with {@link
 * io.freshcache.cli.watch.EventLine}, as columns or as JSON.
 *
 * <p>{@code EventLine} is public because {@code freshcache invalidate} uses it to warm Jackson up
 * before it publishes.
 */
package io.freshcache.cli.watch;
