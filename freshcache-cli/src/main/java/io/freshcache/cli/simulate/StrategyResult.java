package io.freshcache.cli.simulate;

import io.freshcache.CacheStats;

/**
 * What one strategy did over one run of the workload.
 *
 * @param strategy the strategy
 * @param reads reads issued (the run's operations minus its writes); for {@code dependency}, each
 *     read operation makes two reads, of the product and of its category's summary
 * @param hits reads answered from the cache without waiting for the source (stale-while-revalidate
 *     answers included); 0 for {@code no-cache}
 * @param sourceLoads calls to the source: misses and background reloads, failed ones included
 * @param staleReads reads that returned an older version of a row than the current one then: the
 *     database's, or for multi-instance runs the last acknowledged write's
 * @param errors reads that failed because the source was down
 * @param p50Nanos median real time of one read, in nanoseconds
 * @param p99Nanos 99th percentile of the real time of one read, in nanoseconds
 * @param maxNanos longest real time of one read, in nanoseconds
 * @param virtualNanos virtual time the run took
 * @param outageFromNanos virtual time the outage began; -1 without an outage
 * @param outageToNanos virtual time the outage ended; -1 without an outage
 * @param cacheStats the cache's own counters at the end of the run, the product caches of every
 *     instance added up for multi-instance runs; {@code null} for {@code no-cache}
 * @param cluster what a multi-instance run did beyond these columns; {@code null} for the
 *     time-based strategies, which run on one instance
 */
record StrategyResult(
    Strategy strategy,
    long reads,
    long hits,
    long sourceLoads,
    long staleReads,
    long errors,
    long p50Nanos,
    long p99Nanos,
    long maxNanos,
    long virtualNanos,
    long outageFromNanos,
    long outageToNanos,
    CacheStats cacheStats,
    ClusterStats cluster) {

  /** How many instances the run had. */
  int instances() {
    return cluster == null ? 1 : cluster.instances();
  }

  /** Share of reads answered from the cache; {@code NaN} if there were no reads. */
  double hitRatio() {
    return reads == 0 ? Double.NaN : (double) hits / reads;
  }
}
