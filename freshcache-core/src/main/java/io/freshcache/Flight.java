package io.freshcache;

import java.util.concurrent.CompletableFuture;

/**
 * One load of one key in progress, and the lease its result needs to be stored.
 *
 * <p>A flight is registered before the source is called. An invalidation or a put of the key
 * removes it from the registry and voids it, under the same lock that a fill takes, so a load that
 * read the source before the invalidation can never store its (possibly old) value afterwards. The
 * callers already waiting on a voided flight still get its value: they asked before the
 * invalidation. Tags and source keys, known only once the value is loaded, are judged against the
 * group's invalidation history from {@link #since}.
 */
final class Flight<V> {

  final CompletableFuture<V> future = new CompletableFuture<>();

  /** The entry this load replaces, for stale-if-error and analytics; may be null. */
  final Entry<V> prior;

  /** The cache's invalidate-all epoch when the flight started. */
  final long epoch;

  /** The group's invalidation tick when the flight started. */
  final long since;

  /** The group ticker's time when the flight started, to judge it against the horizon. */
  final long startedAt;

  /** True for a background refresh, false for a miss. */
  final boolean refresh;

  /**
   * Test hook, off everywhere but in the model checker's mutation test: makes a fill ignore a
   * voided lease, so that the checker can show it would catch the stale fill the lease prevents.
   */
  static boolean leaseCheckRemoved;

  private volatile boolean voided;

  Flight(Entry<V> prior, long epoch, InvalidationHistory history, boolean refresh) {
    this.prior = prior;
    this.epoch = epoch;
    this.since = history.now();
    this.startedAt = history.time();
    this.refresh = refresh;
  }

  void voidLease() {
    voided = true;
  }

  boolean isVoided() {
    return voided && !leaseCheckRemoved;
  }
}
