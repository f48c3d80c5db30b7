package io.freshcache.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmarks run and produce numbers: a few hundred milliseconds of each {@link HitBenchmark}
 * method, in this JVM. It asserts nothing about speed (no timed assertion belongs in a test suite);
 * it catches a benchmark that no longer starts, throws or stops measuring hits (its tear-down fails
 * the run then).
 */
class BenchSmokeTest {

  @Test
  void theHitBenchmarkRunsEveryMethodAndMeasuresSomething() throws Exception {
    // A benchmark someone runs on the same machine holds JMH's lock; the smoke run measures
    // nothing worth protecting from it.
    System.setProperty("jmh.ignoreLock", "true");
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(HitBenchmark.class.getName() + "\\.")
                    .param("distribution", "uniform")
                    .threads(1)
                    .forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200))
                    .shouldFailOnError(true)
                    .build())
            .run();

    Set<String> methods =
        results.stream()
            .map(r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""))
            .collect(Collectors.toSet());
    assertThat(methods)
        .containsExactlyInAnyOrder(
            "freshcache_get",
            "freshcache_getIfPresent",
            "caffeine_getIfPresent",
            "caffeine_expireAfterWrite");
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }

  @Test
  void theComparisonCoversEveryTargetWithAPeerMeasuredInTheSameRun() {
    assertThat(Compare.rows(false))
        .allSatisfy(
            row -> {
              assertThat(row.target()).isPositive().isFinite();
              assertThat(row.peer()).isNotEqualTo(row.freshcache());
            });
    // Full mode adds only the floor's diagnostic rows, which carry no target.
    assertThat(Compare.rows(true)).containsAll(Compare.rows(false));
    assertThat(Compare.rows(true))
        .filteredOn(row -> !Compare.rows(false).contains(row))
        .isNotEmpty()
        .allSatisfy(row -> assertThat(row.target()).isNaN());
    assertThat(Compare.median(java.util.List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Compare.median(java.util.List.of(4.0, 1.0))).isEqualTo(2.5);
  }
}
