package io.freshcache;

import io.freshcache.event.Invalidation;
import java.util.function.Supplier;

/**
 * What a cache needs of its group, and all it sees of it: the invalidation history and dependency
 * graph it checks entries against, the shared-tier link it reads through, the trust deadline every
 * hit checks, and the way out for what it changed (tier first, then the bus). The group builds one
 * and hands it to each of its caches; a cache built alone gets one of a private group.
 */
final class GroupContext {

  final InvalidationHistory history;
  final DependencyGraph graph;

  /** The shared tier, or null without one. */
  final SharedLink shared;

  /** Whether the group has a bus: caches with keys of their own type then need a key codec. */
  final boolean hasBus;

  /** The group itself, for {@link FreshCache#group()}. */
  final CacheGroup group;

  private final Dispatch dispatch;
  private final Outbound outbound;
  private final BusProtocol protocol;

  GroupContext(
      CacheGroup group,
      InvalidationHistory history,
      DependencyGraph graph,
      SharedLink shared,
      boolean hasBus,
      Dispatch dispatch,
      Outbound outbound,
      BusProtocol protocol) {
    this.group = group;
    this.history = history;
    this.graph = graph;
    this.shared = shared;
    this.hasBus = hasBus;
    this.dispatch = dispatch;
    this.outbound = outbound;
    this.protocol = protocol;
  }

  /** Adds a cache to the group. */
  void join(GroupMember member) {
    dispatch.join(member);
  }

  /** Removes a closed cache from the group. */
  void leave(GroupMember member) {
    dispatch.leave(member);
  }

  /** Whether local entries may be served now (the bus's last word still holds); counts a lapse. */
  boolean trusted() {
    return protocol.trusted();
  }

  /** As {@link #trusted()}, at {@code systemNanos}, a {@code System.nanoTime()} already read. */
  boolean trustedAt(long systemNanos) {
    return protocol.trustedAt(systemNanos);
  }

  /**
   * Whether a local miss may read the shared tier now: not while this instance owes the tier an
   * invalidation (it could read back what it invalidated), nor while the bus cannot vouch for
   * delivery (the tier may hold what an event this instance has not heard yet invalidated).
   */
  boolean readsShared() {
    return !outbound.owesTier() && protocol.isTrusted();
  }

  /** In strict mode, refuses a change while Redis is known to be out of reach. */
  void requireReachable(Supplier<String> refused) {
    outbound.requireReachable(refused);
  }

  /** Tells the shared tier first; whether it confirmed (true without a tier). */
  boolean applyToTier(Invalidation invalidation) {
    return dispatch.applyToTier(invalidation, false);
  }

  /**
   * Sends an invalidation already applied here.
   *
   * @param owedTier what the shared tier could not be told yet, or null
   * @param done what the caller did, for strict mode's exception
   */
  void send(Invalidation invalidation, Invalidation owedTier, Supplier<String> done) {
    outbound.send(invalidation, owedTier, done);
  }
}
