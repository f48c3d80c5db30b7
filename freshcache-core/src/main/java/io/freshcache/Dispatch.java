package io.freshcache;

import io.freshcache.event.Invalidation;
import io.freshcache.spi.SharedTier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where an invalidation lands on this instance: the group's caches and its invalidation history
 * ({@link #apply}), and the shared tier ({@link #applyToTier}), written side by side for each kind
 * of invalidation. Sends nothing anywhere.
 */
final class Dispatch {

  private final String group;
  private final InvalidationHistory history;
  private final DependencyGraph graph;
  private final SharedLink shared;
  private final Map<String, GroupMember> members = new ConcurrentHashMap<>();
  final LongAdder cascaded = new LongAdder();

  Dispatch(String group, InvalidationHistory history, DependencyGraph graph, SharedLink shared) {
    this.group = group;
    this.history = history;
    this.graph = graph;
    this.shared = shared;
  }

  void join(GroupMember member) {
    if (members.putIfAbsent(member.name(), member) != null) {
      throw new IllegalStateException(
          "group '" + group + "' already has a cache named '" + member.name() + "'");
    }
  }

  void leave(GroupMember member) {
    members.remove(member.name(), member);
  }

  Collection<GroupMember> members() {
    return members.values();
  }

  /** Drops every entry of every cache here (after a loss on the bus). */
  void clearLocal() {
    members.values().forEach(member -> member.clearLocal(RemovalCause.INVALIDATED_BY_BUS));
  }

  /** The highest version this instance knows for a key: its entries' and its history's. */
  long knownVersion(String key) {
    long known = history.invalidatedVersion(key);
    for (GroupMember member : members.values()) {
      known = Math.max(known, member.heldVersion(key));
    }
    return known;
  }

  /**
   * Applies an invalidation to this instance's caches; does not send it anywhere. {@code cause}:
   * {@link RemovalCause#INVALIDATED} if it was decided here, {@link
   * RemovalCause#INVALIDATED_BY_BUS} if it arrived on the bus.
   */
  void apply(Invalidation invalidation, RemovalCause cause) {
    Collection<GroupMember> targets = targets(invalidation.cache());
    invalidation.match(
        new Invalidation.Cases<Void>() {
          @Override
          public Void keys(Invalidation.Keys keys) {
            long version = keys.version().orElse(InvalidationHistory.NO_VERSION);
            for (String key : keys.keys()) {
              history.invalidateKey(key, version);
              targets.forEach(member -> member.invalidateNamed(key, cause));
            }
            if (keys.cascade()) {
              cascade(keys.keys(), cause);
            }
            return null;
          }

          @Override
          public Void tags(Invalidation.Tags tags) {
            history.invalidateTags(tags.tags(), cause);
            return null;
          }

          @Override
          public Void pattern(Invalidation.Pattern pattern) {
            targets.forEach(member -> member.invalidateMatching(pattern.glob(), cause));
            return null;
          }

          @Override
          public Void update(Invalidation.Update update) {
            long version = update.version().orElse(InvalidationHistory.NO_VERSION);
            for (String key : update.keys()) {
              history.invalidateKey(key, version);
              Object value = update.values().get(key);
              targets.forEach(member -> member.applyUpdate(key, value, version, cause));
            }
            return null;
          }

          @Override
          public Void all(Invalidation.All all) {
            targets.forEach(member -> member.clearLocal(cause));
            return null;
          }
        });
  }

  /**
   * Makes the shared tier forget what {@code invalidation} invalidates, and waits (bounded) for it.
   * Called before the invalidation is applied here and sent, so that neither this instance nor one
   * reacting to the event reads the old shared value back. One that names no cache reaches every
   * cache of the namespace in the tier, not only those held here. A tier that fails is counted and
   * logged, and the caller hands the change to the outbox.
   *
   * @param force send even while the tier's breaker is open (the outbox's retries)
   * @return whether the tier confirmed it (true without a tier)
   */
  boolean applyToTier(Invalidation invalidation, boolean force) {
    return applyToTier(List.of(invalidation), force);
  }

  /**
   * Applies several invalidations to the tier at once: every call is started, then all are waited
   * for together (one timeout), so a backlog costs about one round trip, not one per change.
   */
  boolean applyToTier(List<Invalidation> invalidations, boolean force) {
    if (shared == null) {
      return true;
    }
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (Invalidation invalidation : invalidations) {
      calls.addAll(startOnTier(invalidation, force));
    }
    return shared.awaitAll(calls);
  }

  /** Starts the tier calls that carry out one invalidation. */
  private List<CompletableFuture<?>> startOnTier(Invalidation invalidation, boolean force) {
    String named = invalidation.cache();
    SharedTier tier = shared.tier;
    return invalidation.match(
        new Invalidation.Cases<List<CompletableFuture<?>>>() {
          @Override
          public List<CompletableFuture<?>> keys(Invalidation.Keys keys) {
            List<CompletableFuture<?>> calls = new ArrayList<>();
            calls.add(invalidateKeys(named, keys.keys(), force));
            if (keys.cascade()) {
              Map<String, List<String>> byCache = new HashMap<>();
              for (DependencyGraph.Node node : graph.dependentsOf(keys.keys())) {
                byCache
                    .computeIfAbsent(node.cache().name(), c -> new ArrayList<>())
                    .add(node.name());
              }
              byCache.forEach(
                  (cache, names) ->
                      calls.add(
                          shared.start(() -> tier.invalidate(cache, names), "invalidate", force)));
            }
            return calls;
          }

          @Override
          public List<CompletableFuture<?>> update(Invalidation.Update update) {
            return List.of(invalidateKeys(named, update.keys(), force));
          }

          @Override
          public List<CompletableFuture<?>> tags(Invalidation.Tags tags) {
            return List.of(
                shared.start(() -> tier.invalidateTags(tags.tags()), "invalidateTags", force));
          }

          @Override
          public List<CompletableFuture<?>> pattern(Invalidation.Pattern pattern) {
            return List.of(
                shared.start(
                    () ->
                        named == null
                            ? tier.invalidatePatternInEveryCache(pattern.glob())
                            : tier.invalidatePattern(named, pattern.glob()),
                    "invalidatePattern",
                    force));
          }

          @Override
          public List<CompletableFuture<?>> all(Invalidation.All all) {
            return List.of(
                shared.start(
                    () -> named == null ? tier.invalidateEveryCache() : tier.invalidateAll(named),
                    "invalidateAll",
                    force));
          }
        });
  }

  private CompletableFuture<?> invalidateKeys(String cache, List<String> keys, boolean force) {
    SharedTier tier = shared.tier;
    return shared.start(
        () -> cache == null ? tier.invalidateInEveryCache(keys) : tier.invalidate(cache, keys),
        "invalidate",
        force);
  }

  private void cascade(List<String> roots, RemovalCause cause) {
    for (DependencyGraph.Node node : graph.dependentsOf(roots)) {
      history.invalidateKey(node.name(), InvalidationHistory.NO_VERSION);
      node.cache().invalidateDerived(node.key(), cause);
      cascaded.increment();
    }
  }

  private Collection<GroupMember> targets(String cache) {
    if (cache == null) {
      return members.values();
    }
    GroupMember target = members.get(cache);
    return target == null ? List.of() : List.of(target);
  }
}
