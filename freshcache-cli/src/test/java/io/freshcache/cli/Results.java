package io.freshcache.cli;

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
}
