package io.freshcache.cli.simulate;

import io.freshcache.stats.CacheStats;
import java.util.Optional;

/**
 * What a {@link TimeStrategy} did over one run, on one instance, with the workload's outage.
 *
 * @param strategy the strategy
 * @param measured the report's columns
 * @param cacheStats the cache's own counters at the end of the run; empty for {@code no-cache},
 *     which has no cache
 * @param outage when the database was down, in virtual time; empty if the workload has no outage
 */
record TimeResult(
    TimeStrategy strategy,
    Measurements measured,
    Optional<CacheStats> cacheStats,
    Optional<Outage> outage)
    implements StrategyResult {

  /** Always 1: the time-based strategies run on one instance. */
  @Override
  public int instances() {
    return 1;
  }

  /**
   * The virtual time the database was down.
   *
   * @param fromNanos when the outage began: before the first operation in it
   * @param toNanos when it ended: before the first operation after it, or at the end of the run
   */
  record Outage(long fromNanos, long toNanos) {}
}
