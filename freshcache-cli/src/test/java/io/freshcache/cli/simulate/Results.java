package io.freshcache.cli.simulate;

import io.freshcache.PropagationLag;
import java.util.List;

/** Made-up results for report tests: what the numbers are does not matter, only how they show. */
final class Results {

  private Results() {}

  static StrategyResult of(Strategy strategy, long reads, long hits, long loads, long errors) {
    return new StrategyResult(
        strategy,
        reads,
        hits,
        loads,
        /* staleReads= */ reads / 10,
        errors,
        /* p50Nanos= */ 350,
        /* p99Nanos= */ 12_345,
        /* maxNanos= */ 1_000_000,
        /* virtualNanos= */ 200_000_000_000L + loads * 2_000_000,
        /* outageFromNanos= */ 90_000_000_000L,
        /* outageToNanos= */ 110_000_000_000L,
        null,
        null);
  }

  /** A result of a multi-instance run on three instances, without an outage. */
  static StrategyResult ofCluster(
      InvalidationStrategy strategy, long reads, long hits, long loads) {
    return ofCluster(strategy, reads, hits, loads, null, List.of());
  }

  /**
   * A result of a multi-instance run on three instances over the Redis at {@code redis} ({@code
   * host:port}), whose instances measured {@code lags}.
   */
  static StrategyResult ofCluster(
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
            /* suspensions= */ redis == null ? 0 : 2);
    return new StrategyResult(
        strategy,
        reads,
        hits,
        loads,
        /* staleReads= */ 0,
        /* errors= */ 0,
        /* p50Nanos= */ 400,
        /* p99Nanos= */ 9_000,
        /* maxNanos= */ 2_000_000,
        /* virtualNanos= */ 200_000_000_000L + loads * 2_000_000,
        /* outageFromNanos= */ -1,
        /* outageToNanos= */ -1,
        null,
        cluster);
  }
}
