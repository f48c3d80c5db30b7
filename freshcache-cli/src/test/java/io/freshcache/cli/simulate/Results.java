package io.freshcache.cli.simulate;

import io.freshcache.stats.CacheStats;
import io.freshcache.stats.PropagationLag;
import java.util.List;
import java.util.Optional;

/** Made-up results for report tests: what the numbers are does not matter, only how they show. */
final class Results {

  private Results() {}

  /**
   * A result of a time-based run, whose database was down from 90 s to 110 s; its cache (none for
   * {@code no-cache}) counted no version conflict.
   */
  static TimeResult of(TimeStrategy strategy, long reads, long hits, long loads, long errors) {
    Measurements measured =
        new Measurements(
            reads,
            hits,
            loads,
            /* staleReads= */ reads / 10,
            errors,
            new Measurements.Latency(
                /* p50Nanos= */ 350, /* p99Nanos= */ 12_345, /* maxNanos= */ 1_000_000),
            /* virtualNanos= */ 200_000_000_000L + loads * 2_000_000);
    return new TimeResult(
        strategy,
        measured,
        strategy.usesCache()
            ? Optional.of(cacheStats(/* versionConflicts= */ 0))
            : Optional.empty(),
        Optional.of(new TimeResult.Outage(90_000_000_000L, 110_000_000_000L)));
  }

  /** A result of a multi-instance run on three instances, without an outage. */
  static ClusterResult ofCluster(InvalidationStrategy strategy, long reads, long hits, long loads) {
    return ofCluster(strategy, reads, hits, loads, null, List.of());
  }

  /**
   * A result of a multi-instance run on three instances over the Redis at {@code redis} ({@code
   * host:port}), whose instances measured {@code lags}.
   */
  static ClusterResult ofCluster(
      InvalidationStrategy strategy,
      long reads,
      long hits,
      long loads,
      String redis,
      List<PropagationLag> lags) {
    ClusterStats cluster =
        new ClusterStats(
            /* instances= */ 3,
            /* writes= */ 200,
            /* rowsWritten= */ 200,
            /* events= */ 200,
            /* handlerCalls= */ List.of(200L, 200L, 200L),
            /* busMessages= */ 200,
            /* cascaded= */ 0,
            /* versionConflicts= */ 4,
            /* writesFlushed= */ 190,
            /* writesSuperseded= */ 1,
            /* rowsBehind= */ 0,
            /* summaryReads= */ 0,
            /* summaryHits= */ 0,
            /* summaryStaleReads= */ 0,
            /* summaryLoads= */ 0,
            /* realNanos= */ 500_000_000,
            redis,
            lags,
            /* losses= */ redis == null ? 0 : 1,
            /* suspensions= */ redis == null ? 0 : 2,
            /* paced= */ redis != null,
            /* toleranceNanos= */ redis == null ? 0 : 5_000_000,
            /* maxBehindNanos= */ redis == null ? 0 : 3_000_000);
    Measurements measured =
        new Measurements(
            reads,
            hits,
            loads,
            /* staleReads= */ 0,
            /* errors= */ 0,
            new Measurements.Latency(
                /* p50Nanos= */ 400, /* p99Nanos= */ 9_000, /* maxNanos= */ 2_000_000),
            /* virtualNanos= */ 200_000_000_000L + loads * 2_000_000);
    return new ClusterResult(strategy, measured, cacheStats(/* versionConflicts= */ 4), cluster);
  }

  /** A cache's counters, all zero but its version conflicts. */
  private static CacheStats cacheStats(long versionConflicts) {
    return CacheStats.builder().versionConflicts(versionConflicts).build();
  }
}
