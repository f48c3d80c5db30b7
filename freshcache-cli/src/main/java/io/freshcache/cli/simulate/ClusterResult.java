package io.freshcache.cli.simulate;

import io.freshcache.stats.CacheStats;

/**
 * What an {@link InvalidationStrategy} did over one run, on several instances and without an outage
 * (so {@link Measurements#errors()} is 0).
 *
 * @param strategy the strategy
 * @param measured the report's columns
 * @param productStats the product caches' own counters at the end of the run, every instance's
 *     added up
 * @param cluster what the run did beyond the report's columns
 */
record ClusterResult(
    InvalidationStrategy strategy,
    Measurements measured,
    CacheStats productStats,
    ClusterStats cluster)
    implements StrategyResult {

  @Override
  public int instances() {
    return cluster.instances();
  }
}
