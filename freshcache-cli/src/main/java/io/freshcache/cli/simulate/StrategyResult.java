package io.freshcache.cli.simulate;

/**
 * What one strategy did over one run of the workload: the {@link Measurements} every run has, and
 * what its family adds. A {@link TimeResult} for a time-based strategy, which runs on one instance
 * with an outage; a {@link ClusterResult} for an invalidation strategy, which runs on several
 * instances without one. Immutable.
 */
sealed interface StrategyResult permits TimeResult, ClusterResult {

  /** The strategy that ran. */
  Strategy strategy();

  /** The report's columns: reads, hits, source loads, stale reads, errors, latency. */
  Measurements measured();

  /** How many instances the run had. */
  int instances();
}
