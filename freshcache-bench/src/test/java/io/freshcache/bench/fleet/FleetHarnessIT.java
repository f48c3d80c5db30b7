package io.freshcache.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The fleet harness's quick mode in the build: one writer and two readers as separate JVMs over
 * PostgreSQL and a private redis-server, every fault of the schedule once, through freshcache. The
 * build fails on any read stale beyond the bound the README states.
 */
class FleetHarnessIT {

  @Test
  void freshcacheServesNoReadStaleBeyondTheBoundUnderEveryFault() throws Exception {
    FleetReport report =
        FleetHarness.run(
            FleetOptions.parse(
                "--library", "freshcache", "--seed", "1", "--instances", "3", "--quick"));
    System.out.print(report.text());

    assertThat(report.reads()).as("reads judged").isGreaterThan(10_000);
    assertThat(report.staleBeyond()).as("reads stale beyond the bound").isZero();
  }
}
