package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invalidation strategies on three instances and a small workload: 5,000 operations on 200 keys
 * at 50 ops/s, so the run lasts more than 100 s of virtual time and 30 s lifetimes expire a few
 * times. The in-process bus delivers every invalidation before the write returns, so every strategy
 * that invalidates must show no stale read at all.
 */
class ClusterReplayTest {

  private static final Workload SMALL =
      Workload.defaults().withOps(5_000).withKeys(200).withRate(50).withInstances(3);

  private static Simulator simulator;
  private static final Map<InvalidationStrategy, ClusterResult> results =
      new EnumMap<>(InvalidationStrategy.class);

  @BeforeAll
  static void runEveryStrategy() throws Exception {
    simulator = new Simulator(SMALL);
    for (InvalidationStrategy strategy : InvalidationStrategy.values()) {
      results.put(strategy, simulator.run(strategy));
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    simulator.close();
  }

  private static ClusterResult result(InvalidationStrategy strategy) {
    return results.get(strategy);
  }

  @Test
  void withoutInvalidationOtherInstancesServeStaleReads() {
    assertThat(simulator.trace().writes()).isPositive();
    assertThat(result(InvalidationStrategy.NO_INVALIDATION).measured().staleReads()).isPositive();
  }

  @Test
  void manualPubSubWriteThroughAndWriteAroundServeNoStaleRead() {
    for (InvalidationStrategy strategy :
        new InvalidationStrategy[] {
          InvalidationStrategy.MANUAL,
          InvalidationStrategy.PUB_SUB,
          InvalidationStrategy.WRITE_THROUGH,
          InvalidationStrategy.WRITE_AROUND
        }) {
      assertThat(result(strategy).measured().staleReads()).as(strategy.label()).isZero();
    }
  }

  @Test
  void updateEventsVersionsTagsAndDependenciesServeNoStaleRead() {
    for (InvalidationStrategy strategy :
        new InvalidationStrategy[] {
          InvalidationStrategy.UPDATE_EVENT,
          InvalidationStrategy.VERSIONS,
          InvalidationStrategy.TAGS,
          InvalidationStrategy.DEPENDENCY
        }) {
      assertThat(result(strategy).measured().staleReads()).as(strategy.label()).isZero();
    }
  }

  @Test
  void theDependencyStrategyReadsEverySummaryFreshAndRecomputesThemByCascade() {
    ClusterStats dependency = result(InvalidationStrategy.DEPENDENCY).cluster();

    assertThat(dependency.summaryReads()).isEqualTo(simulator.trace().reads());
    assertThat(dependency.summaryStaleReads()).isZero();
    assertThat(dependency.summaryHits()).isPositive();
    assertThat(dependency.summaryLoads())
        .isEqualTo(dependency.summaryReads() - dependency.summaryHits());
    assertThat(dependency.cascaded()).isPositive();
  }

  @Test
  void updateEventsLoadLessThanPubSubBecauseHoldersTakeTheNewValueInPlace() {
    assertThat(result(InvalidationStrategy.UPDATE_EVENT).measured().sourceLoads())
        .isLessThan(result(InvalidationStrategy.PUB_SUB).measured().sourceLoads());
  }

  @Test
  void everyEventReachesTheHandlerOfEveryInstanceOnce() {
    for (InvalidationStrategy strategy : InvalidationStrategy.values()) {
      ClusterStats cluster = result(strategy).cluster();
      if (strategy.publishesEvents()) {
        assertThat(cluster.events()).as(strategy.label()).isEqualTo(cluster.writes()).isPositive();
        assertThat(cluster.handlerCalls())
            .as(strategy.label())
            .hasSize(SMALL.instances())
            .allSatisfy(calls -> assertThat(calls).isEqualTo(cluster.events()));
        assertThat(cluster.totalHandlerCalls()).isEqualTo(cluster.events() * SMALL.instances());
      } else {
        assertThat(cluster.events()).as(strategy.label()).isZero();
        assertThat(cluster.totalHandlerCalls()).as(strategy.label()).isZero();
      }
    }
  }

  @Test
  void aTagRepricingChangesAWholeCategory() {
    ClusterStats tags = result(InvalidationStrategy.TAGS).cluster();

    assertThat(tags.rowsWritten()).isGreaterThan(tags.writes() * 5);
  }

  @Test
  void writeBehindFlushesEveryAcknowledgedWriteByClose() {
    ClusterStats behind = result(InvalidationStrategy.WRITE_BEHIND).cluster();

    assertThat(behind.writesFlushed()).isPositive().isLessThanOrEqualTo(behind.writes());
    assertThat(behind.rowsBehind()).isZero();
  }

  @Test
  void theDatabaseEndsWithEveryAcknowledgedWrite() {
    for (ClusterResult result : results.values()) {
      assertThat(result.cluster().rowsBehind()).as(result.strategy().label()).isZero();
      assertThat(result.cluster().writes())
          .as(result.strategy().label())
          .isEqualTo(simulator.trace().writes());
    }
  }

  @Test
  void everyStrategyReadsTheSameOperationsOnEveryInstance() {
    for (ClusterResult result : results.values()) {
      long reads = result.measured().reads() - result.cluster().summaryReads();
      assertThat(reads).as(result.strategy().label()).isEqualTo(simulator.trace().reads());
      assertThat(result.instances()).isEqualTo(SMALL.instances());
      assertThat(result.measured().errors()).isZero();
    }
  }

  @Test
  void theProductCachesCountersAgreeWithWhatTheReplaySaw() {
    for (ClusterResult result : results.values()) {
      if (result.strategy() == InvalidationStrategy.DEPENDENCY) {
        continue; // computing summaries reads the product caches too
      }
      String label = result.strategy().label();
      assertThat(result.productStats().requests()).as(label).isEqualTo(result.measured().reads());
      assertThat(result.productStats().loads())
          .as(label)
          .isEqualTo(result.measured().sourceLoads());
      assertThat(result.productStats().versionConflicts())
          .as(label)
          .isEqualTo(result.cluster().versionConflicts());
    }
  }

  @Test
  void sourceLoadsMoveTheVirtualClock() {
    for (ClusterResult result : results.values()) {
      long opsTime = SMALL.ops() * SMALL.nanosPerOp();
      long loadTime = result.measured().sourceLoads() * SMALL.sourceLatency().toNanos();
      assertThat(result.measured().virtualNanos())
          .as(result.strategy().label())
          .isEqualTo(opsTime + loadTime);
    }
  }

  @Test
  void aRunRepeatsExactlyWithTheSameSeed() throws Exception {
    ClusterResult first = result(InvalidationStrategy.PUB_SUB);
    ClusterResult again = simulator.run(InvalidationStrategy.PUB_SUB);

    assertThat(again.measured().hits()).isEqualTo(first.measured().hits());
    assertThat(again.measured().sourceLoads()).isEqualTo(first.measured().sourceLoads());
    assertThat(again.measured().staleReads()).isEqualTo(first.measured().staleReads());
    assertThat(again.measured().virtualNanos()).isEqualTo(first.measured().virtualNanos());
  }

  @Test
  void withoutWritesNoStrategyServesAStaleRead() throws Exception {
    try (Simulator readOnly = new Simulator(SMALL.withWriteRatio(0))) {
      for (InvalidationStrategy strategy : InvalidationStrategy.values()) {
        assertThat(readOnly.run(strategy).measured().staleReads()).as(strategy.label()).isZero();
      }
    }
  }

  @Test
  void onOneInstanceTheBaselineIsStillStaleAndManualInvalidationIsNot() throws Exception {
    try (Simulator alone = new Simulator(SMALL.withInstances(1))) {
      assertThat(alone.run(InvalidationStrategy.NO_INVALIDATION).measured().staleReads())
          .isPositive();
      ClusterResult manual = alone.run(InvalidationStrategy.MANUAL);
      assertThat(manual.measured().staleReads()).isZero();
      assertThat(manual.instances()).isEqualTo(1);
    }
  }

  @Test
  void moreInstancesMeanMoreLoadsForTheSameReads() throws Exception {
    try (Simulator alone = new Simulator(SMALL.withInstances(1))) {
      assertThat(alone.run(InvalidationStrategy.PUB_SUB).measured().sourceLoads())
          .isLessThan(result(InvalidationStrategy.PUB_SUB).measured().sourceLoads());
    }
  }
}
