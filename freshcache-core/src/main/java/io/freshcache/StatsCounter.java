package io.freshcache;

import io.freshcache.stats.CacheStats;
import java.util.concurrent.atomic.LongAdder;

/** The cache's counters: striped adders, cheap to bump from many threads. */
final class StatsCounter {

  final LongAdder hits = new LongAdder();
  final LongAdder staleHits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder loadSuccesses = new LongAdder();
  final LongAdder loadFailures = new LongAdder();
  final LongAdder totalLoadNanos = new LongAdder();
  final LongAdder refreshes = new LongAdder();
  final LongAdder staleIfErrorServed = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder expirations = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  final LongAdder voidedLoads = new LongAdder();
  final LongAdder versionConflicts = new LongAdder();
  final LongAdder writesFlushed = new LongAdder();
  final LongAdder writeFailures = new LongAdder();

  void recordLoadSuccess(long nanos) {
    loadSuccesses.increment();
    totalLoadNanos.add(nanos);
  }

  /** Mean time of a successful load so far, 0 before the first. */
  long meanLoadNanos() {
    long loads = loadSuccesses.sum();
    return loads == 0 ? 0 : totalLoadNanos.sum() / loads;
  }

  CacheStats snapshot() {
    return CacheStats.builder()
        .hits(hits.sum())
        .staleHits(staleHits.sum())
        .misses(misses.sum())
        .loadSuccesses(loadSuccesses.sum())
        .loadFailures(loadFailures.sum())
        .totalLoadNanos(totalLoadNanos.sum())
        .refreshes(refreshes.sum())
        .staleIfErrorServed(staleIfErrorServed.sum())
        .evictions(evictions.sum())
        .expirations(expirations.sum())
        .invalidations(invalidations.sum())
        .voidedLoads(voidedLoads.sum())
        .versionConflicts(versionConflicts.sum())
        .writesFlushed(writesFlushed.sum())
        .writeFailures(writeFailures.sum())
        .build();
  }
}
