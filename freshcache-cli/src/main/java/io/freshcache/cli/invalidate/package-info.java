/**
 * {@code freshcache invalidate}: publishes one invalidation to every instance of a group, as a
 * member of the group would.
 *
 * <p>Everything is in {@link io.freshcache.cli.invalidate.InvalidateCommand}: it checks the command
 * line before connecting, joins the group on a {@code RedisBus} and its {@code RedisSharedTier},
 * publishes, and waits until its own event comes back from Redis (recognised by its {@code source},
 * decoded with {@code EventCodec}).
 */
package io.freshcache.cli.invalidate;
