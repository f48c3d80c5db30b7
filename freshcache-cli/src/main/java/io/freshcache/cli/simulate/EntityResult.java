package io.freshcache.cli.simulate;

import io.freshcache.stats.VerifierStats;
import java.time.Duration;
import java.util.List;

/**
 * What one entity measured in one scenario, every instance together. Immutable.
 *
 * @param entity the entity
 * @param strategy its strategy in the scenario
 * @param reads reads of it
 * @param hits reads answered without loading it
 * @param sourceReadsPerSecond loads of it (queries, or computations of a view) per second of
 *     virtual time
 * @param sourceWritesPerSecond rows of it written per second of virtual time
 * @param p50Nanos get latency, median: real time on this machine plus the virtual source latency of
 *     the loads it waited for
 * @param p99Nanos the 99th percentile
 * @param p999Nanos the 99.9th percentile
 * @param staleReads reads that returned a version older than the one committed the tolerance before
 *     the read started
 * @param staleHits those of the stale reads that were hits (the ground truth the verifiers
 *     estimate)
 * @param verifierChecked hits the instances' freshness verifiers sampled and checked against the
 *     database
 * @param verifierStale those they caught stale (still served past the tolerance)
 * @param worstStalenessNanos the longest time, among those, since a newer version was committed
 * @param hotKeyLoads source loads of its most-read key: what that key's expiries and invalidations
 *     cost the source
 * @param entries entries held at the end, every instance
 * @param bytes those entries' estimated size
 */
record EntityResult(
    Entity entity,
    EntityStrategy strategy,
    long reads,
    long hits,
    double sourceReadsPerSecond,
    double sourceWritesPerSecond,
    long p50Nanos,
    long p99Nanos,
    long p999Nanos,
    long staleReads,
    long staleHits,
    long verifierChecked,
    long verifierStale,
    long worstStalenessNanos,
    long hotKeyLoads,
    long entries,
    long bytes) {

  /** Bookkeeping an entry costs beyond its key and body, roughly: node, record, metadata. */
  static final int ENTRY_OVERHEAD_BYTES = 200;

  double hitRatio() {
    return reads == 0 ? Double.NaN : (double) hits / reads;
  }

  /** The share of hits that were stale: the ground truth; NaN without hits. */
  double staleHitRate() {
    return hits == 0 ? Double.NaN : (double) staleHits / hits;
  }

  /** The verifiers' estimate of {@link #staleHitRate}, with its 95% interval. */
  VerifierStats verification() {
    return new VerifierStats(
        verifierChecked,
        0,
        verifierChecked,
        verifierStale,
        0,
        0,
        DomainInstance.VERIFY_READS_PER_SECOND,
        Duration.ZERO,
        List.of(),
        List.of());
  }
}
