package io.freshcache;

/**
 * What a group sees of each of its caches: the invalidations it applies to them by key name,
 * pattern or everything, and their lifecycle. The cache's key type stays on the cache's side: the
 * group speaks of keys by their string form, and a dependency-graph node hands its key object back
 * to the cache that made it.
 */
interface GroupMember {

  /** The cache's name, unique in its group. */
  String name();

  /**
   * Invalidates the key with this string form, here only; {@code cause}: where the invalidation was
   * decided (here or on the bus), for the cache's removal listener. So for every method below.
   */
  void invalidateNamed(String keyName, RemovalCause cause);

  /** Invalidates every key whose string form matches the glob, here only. */
  void invalidateMatching(String glob, RemovalCause cause);

  /**
   * Applies an update event's value for a key at a version, here only: replaces an older entry,
   * invalidates any other.
   */
  void applyUpdate(String keyName, Object wireValue, long version, RemovalCause cause);

  /** Invalidates a dependency-graph node's key (one this cache registered), here only. */
  void invalidateDerived(Object key, RemovalCause cause);

  /** Drops every entry and voids every load, here only. */
  void clearLocal(RemovalCause cause);

  /** The version of the entry held for the key a name denotes, or {@code NO_VERSION}. */
  long heldVersion(String keyName);

  /**
   * Finishes the store's pending upkeep on this thread: what size or time evicted is counted and
   * its dependency edges are gone once this returns.
   */
  void settle();

  /** The cache's counters and verifier findings, for the group's status. */
  io.freshcache.stats.CacheAnalytics<?> analytics();

  /** Closes the cache (flushing write-behind). */
  void close();
}
