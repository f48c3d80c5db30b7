package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.stats.CacheStats;
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
  private static final Map<TimeStrategy, TimeResult> results = new EnumMap<>(TimeStrategy.class);

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

  private static TimeResult run(Workload workload, TimeStrategy strategy) throws Exception {
    try (Simulator other = new Simulator(workload)) {
      return other.run(strategy);
    }
  }

  @Test
  void noCacheNeverHitsAndLoadsOnEveryRead() {
    TimeResult noCache = results.get(TimeStrategy.NO_CACHE);

    assertThat(noCache.measured().hitRatio()).isZero();
    assertThat(noCache.measured().sourceLoads()).isEqualTo(noCache.measured().reads());
    assertThat(noCache.measured().staleReads()).isZero();
    assertThat(noCache.cacheStats()).isEmpty();
  }

  @Test
  void noCacheFailsEveryReadDuringTheOutage() {
    Trace trace = simulator.trace();
    long readsInOutage = 0;
    for (int i = SMALL.outageFromOp(); i < SMALL.outageToOp(); i++) {
      readsInOutage += trace.isWrite(i) ? 0 : 1;
    }

    assertThat(results.get(TimeStrategy.NO_CACHE).measured().errors()).isEqualTo(readsInOutage);
  }

  @Test
  void everyStrategyReadsTheSameOperations() {
    for (TimeResult result : results.values()) {
      assertThat(result.measured().reads())
          .as(result.strategy().label())
          .isEqualTo(simulator.trace().reads());
    }
  }

  @Test
  void ttlAnswersMostReadsFromTheCacheAndLoadsFarLessThanNoCache() {
    TimeResult ttl = results.get(TimeStrategy.TTL);

    assertThat(ttl.measured().hitRatio()).isGreaterThan(0.5);
    assertThat(ttl.measured().sourceLoads())
        .isLessThan(results.get(TimeStrategy.NO_CACHE).measured().sourceLoads() / 2);
  }

  @Test
  void ttlServesStaleReadsWhenRowsChangeBehindItsBack() {
    assertThat(simulator.trace().writes()).isPositive();
    assertThat(results.get(TimeStrategy.TTL).measured().staleReads()).isPositive();
  }

  @Test
  void withoutWritesNoStrategyServesAStaleRead() throws Exception {
    Workload readOnly = SMALL.withWriteRatio(0);
    try (Simulator readOnlySimulator = new Simulator(readOnly)) {
      for (TimeStrategy strategy : TimeStrategy.values()) {
        assertThat(readOnlySimulator.run(strategy).measured().staleReads())
            .as(strategy.label())
            .isZero();
      }
    }
  }

  @Test
  void staleIfErrorFailsFewerReadsThanTtlDuringAnOutage() {
    TimeResult ttl = results.get(TimeStrategy.TTL);
    TimeResult staleIfError = results.get(TimeStrategy.STALE_IF_ERROR);

    assertThat(ttl.measured().errors()).isPositive();
    assertThat(staleIfError.measured().errors()).isLessThan(ttl.measured().errors());
    assertThat(staleIfError.cacheStats().orElseThrow().staleIfErrorServed()).isPositive();
  }

  @Test
  void everyRunRecordsTheOutageWhereTheWorkloadPutsIt() {
    for (TimeResult result : results.values()) {
      TimeResult.Outage outage = result.outage().orElseThrow();
      String label = result.strategy().label();
      // The clock moves by at least one op's time per operation, and by more for loads.
      assertThat(outage.fromNanos())
          .as(label)
          .isGreaterThanOrEqualTo(SMALL.outageFromOp() * SMALL.nanosPerOp());
      assertThat(outage.toNanos() - outage.fromNanos())
          .as(label)
          .isGreaterThanOrEqualTo((SMALL.outageToOp() - SMALL.outageFromOp()) * SMALL.nanosPerOp());
      assertThat(outage.toNanos()).as(label).isLessThan(result.measured().virtualNanos());
    }
  }

  @Test
  void withoutAnOutageNoReadFails() throws Exception {
    try (Simulator healthy = new Simulator(SMALL.withOutage(0))) {
      for (TimeStrategy strategy : TimeStrategy.values()) {
        TimeResult result = healthy.run(strategy);
        assertThat(result.measured().errors()).as(strategy.label()).isZero();
        assertThat(result.outage()).isEmpty();
      }
    }
  }

  @Test
  void refreshAheadAndStaleWhileRevalidateAnswerMoreReadsFromTheCacheThanTtl() {
    double ttl = results.get(TimeStrategy.TTL).measured().hitRatio();

    assertThat(results.get(TimeStrategy.REFRESH_AHEAD).measured().hitRatio()).isGreaterThan(ttl);
    assertThat(results.get(TimeStrategy.STALE_WHILE_REVALIDATE).measured().hitRatio())
        .isGreaterThan(ttl);
  }

  @Test
  void theCachesCountersAgreeWithWhatTheSimulatorSaw() {
    for (TimeResult result : results.values()) {
      if (result.cacheStats().isEmpty()) {
        continue;
      }
      CacheStats stats = result.cacheStats().get();
      String label = result.strategy().label();
      assertThat(stats.requests()).as(label + ": reads").isEqualTo(result.measured().reads());
      assertThat(stats.loads()).as(label + ": loads").isEqualTo(result.measured().sourceLoads());
      assertThat(stats.hits() + stats.staleHits())
          .as(label + ": hits")
          .isEqualTo(result.measured().hits());
    }
  }

  @Test
  void sourceLoadsMoveTheVirtualClock() {
    for (TimeResult result : results.values()) {
      long opsTime = SMALL.ops() * SMALL.nanosPerOp();
      long loadTime = result.measured().sourceLoads() * SMALL.sourceLatency().toNanos();
      assertThat(result.measured().virtualNanos())
          .as(result.strategy().label())
          .isEqualTo(opsTime + loadTime);
    }
  }

  @Test
  void aRunRepeatsExactlyWithTheSameSeed() throws Exception {
    TimeResult again = simulator.run(TimeStrategy.TTL);
    TimeResult first = results.get(TimeStrategy.TTL);

    assertThat(again.measured().hits()).isEqualTo(first.measured().hits());
    assertThat(again.measured().sourceLoads()).isEqualTo(first.measured().sourceLoads());
    assertThat(again.measured().staleReads()).isEqualTo(first.measured().staleReads());
    assertThat(again.measured().errors()).isEqualTo(first.measured().errors());
    assertThat(again.measured().virtualNanos()).isEqualTo(first.measured().virtualNanos());
  }

  @Test
  void latencyPercentilesAreOrdered() {
    for (TimeResult result : results.values()) {
      assertThat(result.measured().latency().p50Nanos()).isPositive();
      assertThat(result.measured().latency().p99Nanos())
          .isGreaterThanOrEqualTo(result.measured().latency().p50Nanos());
      assertThat(result.measured().latency().maxNanos())
          .isGreaterThanOrEqualTo(result.measured().latency().p99Nanos());
    }
  }

  @Test
  void moreWritesMeanMoreStaleReads() throws Exception {
    TimeResult few = run(SMALL.withWriteRatio(0.01).withOutage(0), TimeStrategy.TTL);
    TimeResult many = run(SMALL.withWriteRatio(0.2).withOutage(0), TimeStrategy.TTL);

    assertThat(many.measured().staleReads()).isGreaterThan(few.measured().staleReads());
  }
}
