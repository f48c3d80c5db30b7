package io.freshcache.redis;

/**
 * How a {@link RedisBus} hears events: on Redis pub/sub, reading its stream only to fill a gap in
 * the numbers of freshcache's events ({@link #PATTERN}, {@link #SHARDED}), or from the stream alone
 * ({@link #OFF}); see {@link RedisBusBuilder#channelDelivery(ChannelDelivery)}.
 */
public enum ChannelDelivery {

  /**
   * The default: the bus subscribes to the pattern {@code cache:invalidation:*} and publishes each
   * event on {@code cache:invalidation:<event_type>}, so it hears any publisher of the plain JSON
   * format ({@code PUBLISH}). If the subscription drops, events that only the channel carried are
   * gone: the bus reports a loss. On a Redis Cluster a classic publish is forwarded to every node
   * of the cluster.
   */
  PATTERN,

  /**
   * Redis Cluster only (Redis 7 or later): the bus subscribes with {@code SSUBSCRIBE} to the one
   * sharded channel of its namespace, {@code cache:invalidation:{<namespace>}}, on the node that
   * owns the namespace's hash slot, and publishes with {@code SPUBLISH}; the channel carries the
   * same hash tag as the namespace's stream, so one shard (its master and replicas) carries the
   * namespace's events, stream and channel, and no other node sees them. For fleets whose
   * publishers are freshcache instances: a bus in this mode does not hear a plain {@code PUBLISH}
   * on {@code cache:invalidation:<event_type>}. A publisher that is not freshcache should either
   * leave the fleet on {@link #PATTERN}, or {@code SPUBLISH} its events to the sharded channel;
   * those are heard but, not being in the stream, cannot be replayed: one sent while the slot
   * changes hands is missed without a loss being reported. freshcache's own events are in the
   * stream, numbered, so a gap in the subscription (its slot failed over or was moved, after which
   * the bus subscribes on the new owner) is filled from the stream once the next event or heartbeat
   * shows a number missing, or reported as a loss when the stream no longer holds it.
   */
  SHARDED,

  /**
   * Events are heard through the stream only, read continuously from the bus's last position: only
   * freshcache publishers are heard, and a dropped connection always replays what it missed.
   */
  OFF
}
