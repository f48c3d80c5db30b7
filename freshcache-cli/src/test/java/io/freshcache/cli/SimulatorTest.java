package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheStats;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator on a small workload: 5,000 operations on 200 keys. At 50 ops/s the run lasts more
 * than 100 s of virtual time, so 30 s lifetimes expire a few times and the outage (the middle 10%)
 * falls after the first entries have expired.
 */
class SimulatorTest {

  private static final Workload SMALL =
      Workload.defaults().withOps(5_000).withKeys(200).withRate(50);

  private static Simulator simulator;
  private static final Map<Strategy, StrategyResult> results = new EnumMap<>(Strategy.class);

  @BeforeAll
  static void runEveryStrategy() throws Exception {
    simulator = new Simulator(SMALL);
    for (Strategy strategy : Strategy.values()) {
      results.put(strategy, simulator.run(strategy));
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    simulator.close();
  }

  private static StrategyResult run(Workload workload, Strategy strategy) throws Exception {
    try (Simulator other = new Simulator(workload)) {
      return other.run(strategy);
    }
  }

  @Test
  void noCacheNeverHitsAndLoadsOnEveryRead() {
    StrategyResult noCache = results.get(Strategy.NO_CACHE);

    assertThat(noCache.hitRatio()).isZero();
    assertThat(noCache.sourceLoads()).isEqualTo(noCache.reads());
    assertThat(noCache.staleReads()).isZero();
    assertThat(noCache.cacheStats()).isNull();
  }

  @Test
  void noCacheFailsEveryReadDuringTheOutage() {
    Trace trace = simulator.trace();
    long readsInOutage = 0;
    for (int i = SMALL.outageFromOp(); i < SMALL.outageToOp(); i++) {
      readsInOutage += trace.isWrite(i) ? 0 : 1;
    }

    assertThat(results.get(Strategy.NO_CACHE).errors()).isEqualTo(readsInOutage);
  }

  @Test
  void everyStrategyReadsTheSameOperations() {
    for (StrategyResult result : results.values()) {
      assertThat(result.reads()).as(result.strategy().label()).isEqualTo(simulator.trace().reads());
    }
  }

  @Test
  void ttlAnswersMostReadsFromTheCacheAndLoadsFarLessThanNoCache() {
    StrategyResult ttl = results.get(Strategy.TTL);

    assertThat(ttl.hitRatio()).isGreaterThan(0.5);
    assertThat(ttl.sourceLoads()).isLessThan(results.get(Strategy.NO_CACHE).sourceLoads() / 2);
  }

  @Test
  void ttlServesStaleReadsWhenRowsChangeBehindItsBack() {
    assertThat(simulator.trace().writes()).isPositive();
    assertThat(results.get(Strategy.TTL).staleReads()).isPositive();
  }

  @Test
  void withoutWritesNoStrategyServesAStaleRead() throws Exception {
    Workload readOnly = SMALL.withWriteRatio(0);
    try (Simulator readOnlySimulator = new Simulator(readOnly)) {
      for (Strategy strategy : Strategy.values()) {
        assertThat(readOnlySimulator.run(strategy).staleReads()).as(strategy.label()).isZero();
      }
    }
  }

  @Test
  void staleIfErrorFailsFewerReadsThanTtlDuringAnOutage() {
    StrategyResult ttl = results.get(Strategy.TTL);
    StrategyResult staleIfError = results.get(Strategy.STALE_IF_ERROR);

    assertThat(ttl.errors()).isPositive();
    assertThat(staleIfError.errors()).isLessThan(ttl.errors());
    assertThat(staleIfError.cacheStats().staleIfErrorServed()).isPositive();
  }

  @Test
  void withoutAnOutageNoReadFails() throws Exception {
    try (Simulator healthy = new Simulator(SMALL.withOutage(0))) {
      for (Strategy strategy : Strategy.values()) {
        StrategyResult result = healthy.run(strategy);
        assertThat(result.errors()).as(strategy.label()).isZero();
        assertThat(result.outageFromNanos()).isEqualTo(-1);
      }
    }
  }

  @Test
  void refreshAheadAndStaleWhileRevalidateAnswerMoreReadsFromTheCacheThanTtl() {
    double ttl = results.get(Strategy.TTL).hitRatio();

    assertThat(results.get(Strategy.REFRESH_AHEAD).hitRatio()).isGreaterThan(ttl);
    assertThat(results.get(Strategy.STALE_WHILE_REVALIDATE).hitRatio()).isGreaterThan(ttl);
  }

  @Test
  void theCachesCountersAgreeWithWhatTheSimulatorSaw() {
    for (StrategyResult result : results.values()) {
      CacheStats stats = result.cacheStats();
      if (stats == null) {
        continue;
      }
      String label = result.strategy().label();
      assertThat(stats.requests()).as(label + ": reads").isEqualTo(result.reads());
      assertThat(stats.loads()).as(label + ": loads").isEqualTo(result.sourceLoads());
      assertThat(stats.hits() + stats.staleHits()).as(label + ": hits").isEqualTo(result.hits());
    }
  }

  @Test
  void sourceLoadsMoveTheVirtualClock() {
    for (StrategyResult result : results.values()) {
      long opsTime = SMALL.ops() * SMALL.nanosPerOp();
      long loadTime = result.sourceLoads() * SMALL.sourceLatency().toNanos();
      assertThat(result.virtualNanos()).as(result.strategy().label()).isEqualTo(opsTime + loadTime);
    }
  }

  @Test
  void aRunRepeatsExactlyWithTheSameSeed() throws Exception {
    StrategyResult again = simulator.run(Strategy.TTL);
    StrategyResult first = results.get(Strategy.TTL);

    assertThat(again.hits()).isEqualTo(first.hits());
    assertThat(again.sourceLoads()).isEqualTo(first.sourceLoads());
    assertThat(again.staleReads()).isEqualTo(first.staleReads());
    assertThat(again.errors()).isEqualTo(first.errors());
    assertThat(again.virtualNanos()).isEqualTo(first.virtualNanos());
  }

  @Test
  void latencyPercentilesAreOrdered() {
    for (StrategyResult result : results.values()) {
      assertThat(result.p50Nanos()).isPositive();
      assertThat(result.p99Nanos()).isGreaterThanOrEqualTo(result.p50Nanos());
      assertThat(result.maxNanos()).isGreaterThanOrEqualTo(result.p99Nanos());
    }
  }

  @Test
  void moreWritesMeanMoreStaleReads() throws Exception {
    StrategyResult few = run(SMALL.withWriteRatio(0.01).withOutage(0), Strategy.TTL);
    StrategyResult many = run(SMALL.withWriteRatio(0.2).withOutage(0), Strategy.TTL);

    assertThat(many.staleReads()).isGreaterThan(few.staleReads());
  }
}
