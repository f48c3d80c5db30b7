package io.freshcache.cli;

import io.freshcache.CacheStats;

/**
 * What one strategy did over one run of the workload.
 *
 * @param strategy the strategy
 * @param reads reads issued (the run's operations minus its writes)
 * @param hits reads answered from the cache without waiting for the source (stale-while-revalidate
 *     answers included); 0 for {@code no-cache}
 * @param sourceLoads calls to the source: misses and background reloads, failed ones included
 * @param staleReads reads that returned an older version of a row than the database held then
 * @param errors reads that failed because the source was down
 * @param p50Nanos median real time of one read, in nanoseconds
 * @param p99Nanos 99th percentile of the real time of one read, in nanoseconds
 * @param maxNanos longest real time of one read, in nanoseconds
 * @param virtualNanos virtual time the run took
 * @param outageFromNanos virtual time the outage began; -1 without an outage
 * @param outageToNanos virtual time the outage ended; -1 without an outage
 * @param cacheStats the cache's own counters at the end of the run; {@code null} for {@code
 *     no-cache}
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
    CacheStats cacheStats) {

  /** Share of reads answered from the cache; {@code NaN} if there were no reads. */
  double hitRatio() {
    return reads == 0 ? Double.NaN : (double) hits / reads;
  }
}
