package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheStats;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's time-based strategies on a small workload: 5,000 operations on 200 keys. At 50
 * ops/s the run lasts more than 100 s of virtual time, so 30 s lifetimes expire a few times and the
 * outage (the middle 10%) falls after the first entries have expired.
 */
class SimulatorTest {

  private static final Workload SMALL =
      Workload.defaults().withOps(5_000).withKeys(200).withRate(50);

  private static Simulator simulator;
  private static final Map<TimeStrategy, StrategyResult> results =
      new EnumMap<>(TimeStrategy.class);

  @BeforeAll
  static void runEveryStrategy() throws Exception {
    simulator = new Simulator(SMALL);
    for (TimeStrategy strategy : TimeStrategy.values()) {
      results.put(strategy, simulator.run(strategy));
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    simulator.close();
  }

  private static StrategyResult run(Workload workload, TimeStrategy strategy) throws Exception {
    try (Simulator other = new Simulator(workload)) {
      return other.run(strategy);
    }
  }

  @Test
  void noCacheNeverHitsAndLoadsOnEveryRead() {
    StrategyResult noCache = results.get(TimeStrategy.NO_CACHE);

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

    assertThat(results.get(TimeStrategy.NO_CACHE).errors()).isEqualTo(readsInOutage);
  }

  @Test
  void everyStrategyReadsTheSameOperations() {
    for (StrategyResult result : results.values()) {
      assertThat(result.reads()).as(result.strategy().label()).isEqualTo(simulator.trace().reads());
    }
  }

  @Test
  void ttlAnswersMostReadsFromTheCacheAndLoadsFarLessThanNoCache() {
    StrategyResult ttl = results.get(TimeStrategy.TTL);

    assertThat(ttl.hitRatio()).isGreaterThan(0.5);
    assertThat(ttl.sourceLoads()).isLessThan(results.get(TimeStrategy.NO_CACHE).sourceLoads() / 2);
  }

  @Test
  void ttlServesStaleReadsWhenRowsChangeBehindItsBack() {
    assertThat(simulator.trace().writes()).isPositive();
    assertThat(results.get(TimeStrategy.TTL).staleReads()).isPositive();
  }

  @Test
  void withoutWritesNoStrategyServesAStaleRead() throws Exception {
    Workload readOnly = SMALL.withWriteRatio(0);
    try (Simulator readOnlySimulator = new Simulator(readOnly)) {
      for (TimeStrategy strategy : TimeStrategy.values()) {
        assertThat(readOnlySimulator.run(strategy).staleReads()).as(strategy.label()).isZero();
      }
    }
  }

  @Test
  void staleIfErrorFailsFewerReadsThanTtlDuringAnOutage() {
    StrategyResult ttl = results.get(TimeStrategy.TTL);
    StrategyResult staleIfError = results.get(TimeStrategy.STALE_IF_ERROR);

    assertThat(ttl.errors()).isPositive();
    assertThat(staleIfError.errors()).isLessThan(ttl.errors());
    assertThat(staleIfError.cacheStats().staleIfErrorServed()).isPositive();
  }

  @Test
  void withoutAnOutageNoReadFails() throws Exception {
    try (Simulator healthy = new Simulator(SMALL.withOutage(0))) {
      for (TimeStrategy strategy : TimeStrategy.values()) {
        StrategyResult result = healthy.run(strategy);
        assertThat(result.errors()).as(strategy.label()).isZero();
        assertThat(result.outageFromNanos()).isEqualTo(-1);
      }
    }
  }

  @Test
  void refreshAheadAndStaleWhileRevalidateAnswerMoreReadsFromTheCacheThanTtl() {
    double ttl = results.get(TimeStrategy.TTL).hitRatio();

    assertThat(results.get(TimeStrategy.REFRESH_AHEAD).hitRatio()).isGreaterThan(ttl);
    assertThat(results.get(TimeStrategy.STALE_WHILE_REVALIDATE).hitRatio()).isGreaterThan(ttl);
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
    StrategyResult again = simulator.run(TimeStrategy.TTL);
    StrategyResult first = results.get(TimeStrategy.TTL);

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
    StrategyResult few = run(SMALL.withWriteRatio(0.01).withOutage(0), TimeStrategy.TTL);
    StrategyResult many = run(SMALL.withWriteRatio(0.2).withOutage(0), TimeStrategy.TTL);

    assertThat(many.staleReads()).isGreaterThan(few.staleReads());
  }
}
