package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

  private static final long GIB = 1L << 30;
  private static final List<Strategy> ALL = Strategy.catalogue();

  private static MemoryEstimate of(Workload workload, Strategy... strategies) {
    return MemoryEstimate.of(workload, strategies.length == 0 ? ALL : List.of(strategies));
  }

  @Test
  void theDefaultRunFitsInASmallHeap() {
    assertThat(of(Workload.defaults()).refusal(256L << 20)).isNull();
  }

  @Test
  void aHundredMillionKeysNeedTensOfGibibytes() {
    MemoryEstimate estimate = of(Workload.defaults().withKeys(100_000_000));

    assertThat(estimate.bytes()).isBetween(25 * GIB, 45 * GIB);
    assertThat(estimate.refusal(6 * GIB))
        .matches(
            "--keys=100000000 needs about \\d\\d GiB but the heap holds 6\\.0 GiB; use fewer keys,"
                + " or raise -Xmx \\(e\\.g\\. JAVA_TOOL_OPTIONS=-Xmx\\d\\dg\\)");
    assertThat(estimate.refusal(64 * GIB)).isNull();
  }

  @Test
  void aLongTraceNamesTheOps() {
    MemoryEstimate estimate = of(Workload.defaults().withKeys(100).withOps(2_000_000_000));

    assertThat(estimate.bytes()).isGreaterThan(2_000_000_000L * MemoryEstimate.BYTES_PER_OP);
    assertThat(estimate.refusal(6 * GIB))
        .startsWith("--ops=2000000000 needs about ")
        .contains("use fewer ops,");
  }

  @Test
  void theCachesOfManyInstancesAreNamedWhenTheyWeighMost() {
    Workload workload = Workload.defaults().withKeys(1_000).withOps(2_000_000).withRate(100_000);

    String refusal =
        of(workload.withInstances(Workload.MAX_INSTANCES), InvalidationStrategy.DEPENDENCY)
            .refusal(1L << 20);

    assertThat(refusal)
        .startsWith("--keys=1000 on --instances=64 needs about ")
        .contains("use fewer keys or instances,");
  }

  @Test
  void aHighRateIsNamedWhenTheCachesItFillsWeighMost() {
    Workload workload =
        Workload.defaults()
            .withKeys(100_000)
            .withOps(10_000_000)
            .withRate(100_000)
            .withInstances(Workload.MAX_INSTANCES);

    assertThat(of(workload, InvalidationStrategy.DEPENDENCY).refusal(1 * GIB))
        .startsWith("--rate=100000 needs about ")
        .contains("use a lower rate,");
  }

  @Test
  void theFullestStrategyCountsNotTheSumOfThem() {
    Workload workload = Workload.defaults().withKeys(1_000_000);

    long ttl = of(workload, TimeStrategy.TTL).bytes();
    long dependency = of(workload, InvalidationStrategy.DEPENDENCY).bytes();

    assertThat(of(workload, TimeStrategy.NO_CACHE).bytes()).isLessThan(ttl);
    assertThat(ttl).isLessThan(dependency);
    assertThat(of(workload, TimeStrategy.TTL, InvalidationStrategy.DEPENDENCY).bytes())
        .isEqualTo(dependency);
  }

  @Test
  void aCacheHoldsNoMoreThanTheKeysReadWhileEntriesAreKept() {
    Workload longRun = Workload.defaults().withKeys(10_000_000).withOps(10_000_000);

    // At 1,000 ops/s an entry is kept at most 90 s: 90,000 products, not 10,000,000.
    long cache = of(longRun, TimeStrategy.TTL).bytes() - of(longRun, TimeStrategy.NO_CACHE).bytes();
    assertThat(cache).isLessThan(100_000 * MemoryEstimate.BYTES_PER_CACHED_PRODUCT * 2);
  }
}
