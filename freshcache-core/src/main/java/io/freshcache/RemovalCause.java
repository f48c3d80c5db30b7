package io.freshcache;

/**
 * Why an entry left a cache's in-process tier, as a {@link RemovalListener} is told.
 *
 * <p>Invalidations are told apart by where they were decided: {@link #INVALIDATED} by a call on
 * this instance (of the cache, or of its {@link CacheGroup}: keys, tags, patterns, cascades,
 * everything), {@link #INVALIDATED_BY_BUS} by an event that arrived from elsewhere (another
 * instance, a plain publisher of the wire format, change data capture), or by this instance
 * clearing itself after the bus reported a possible loss of events.
 */
public enum RemovalCause {

  /**
   * Its time was up: removed by the expiry policy (after any stale window), or replaced by a load
   * or refresh after it had stopped being fresh.
   */
  EXPIRED,

  /** Removed to keep the tier within its {@code maximumSize} or {@code maximumWeight}. */
  EVICTED,

  /** Invalidated by a call on this instance (including a write-around or a write through it). */
  INVALIDATED,

  /**
   * Invalidated by an event from the bus (another instance, another publisher, change data
   * capture), or cleared after the bus reported that events may have been lost.
   */
  INVALIDATED_BY_BUS,

  /** A put, load, refresh or update event wrote a new value over it while it was fresh. */
  REPLACED;

  /** Whether the cache removed it on its own (by time or by size) rather than being told to. */
  public boolean wasEvicted() {
    return this == EXPIRED || this == EVICTED;
  }
}
