package io.freshcache;

import java.time.Duration;

/**
 * An immutable snapshot of one cache's counters since it was built.
 *
 * @param hits reads answered with a fresh entry
 * @param staleHits reads answered at once with an expired entry: inside its stale-while-revalidate
 *     window, or inside its stale-if-error window after its reload failed
 * @param misses reads that had to wait for a load (including those joining another's load)
 * @param loadSuccesses loads (misses and refreshes) that returned a value
 * @param loadFailures loads that failed, including those answered by stale-if-error
 * @param totalLoadNanos time spent in successful loads, in ticker nanoseconds
 * @param refreshes background reloads started (refresh-ahead, probabilistic,
 *     stale-while-revalidate)
 * @param staleIfErrorServed reads answered with the old value because the source was failing (the
 *     read whose load failed, and the reads after it that did not try the source again)
 * @param evictions entries removed to respect the size bound
 * @param expirations entries that reached the end of their life, stale windows included
 * @param invalidations entries removed, or loads voided, by {@code invalidate*} calls
 * @param voidedLoads loads whose result was not stored because the key was invalidated or
 *     overwritten while they ran
 * @param versionConflicts puts refused and fills not stored because their version was older than
 *     one the cache already knew
 * @param writesFlushed write-behind writes that reached the source
 * @param writeFailures write-behind batches the source refused (each is retried)
 */
public record CacheStats(
    long hits,
    long staleHits,
    long misses,
    long loadSuccesses,
    long loadFailures,
    long totalLoadNanos,
    long refreshes,
    long staleIfErrorServed,
    long evictions,
    long expirations,
    long invalidations,
    long voidedLoads,
    long versionConflicts,
    long writesFlushed,
    long writeFailures) {

  /** Reads in all. */
  public long requests() {
    return hits + staleHits + misses;
  }

  /** Share of reads answered from the cache (fresh or stale), 1.0 when there were none. */
  public double hitRatio() {
    long requests = requests();
    return requests == 0 ? 1.0 : (double) (hits + staleHits) / requests;
  }

  /** Loads started, successful or not. */
  public long loads() {
    return loadSuccesses + loadFailures;
  }

  /** Mean time of a successful load. */
  public Duration averageLoadTime() {
    return loadSuccesses == 0 ? Duration.ZERO : Duration.ofNanos(totalLoadNanos / loadSuccesses);
  }
}
