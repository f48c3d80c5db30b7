/**
 * {@code freshcache watch}: prints every invalidation event published on Redis, one line each.
 *
 * <p>Where to start: {@link io.freshcache.cli.watch.WatchCommand} subscribes to {@code
 * cache:invalidation:*} with a plain Lettuce connection (it never joins a group), decodes each
 * message with {@link io.freshcache.cli.watch.WireEvent} and prints it with {@link
 * io.freshcache.cli.watch.EventLine}, as columns or as JSON.
 *
 * <p>{@code WireEvent} and {@code EventLine} are public because {@code freshcache invalidate} uses
 * them too, to recognise its own event when it comes back and to warm Jackson up before it
 * publishes. {@code WireEvent} reads the wire format for display only; the library's own decoder is
 * meant to replace it.
 */
package io.freshcache.cli.watch;
