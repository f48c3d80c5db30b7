package io.freshcache.cli.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Runs the domain workload against each scenario in turn, on one database reset before each, and
 * collects the results. Not thread-safe.
 */
final class DomainSimulation {

  /** Told how far the simulation is: the scenario running and the share of it done. */
  interface Progress {
    void update(int scenario, int scenarios, String name, double done);

    Progress NONE = (scenario, scenarios, name, done) -> {};
  }

  private final DomainWorkload workload;
  private final DomainOps ops;
  private final String jdbcUrl;
  private final DomainReplay.Fleet fleet;

  /**
   * @param jdbcUrl where the tables go; {@code null} for an embedded H2 database
   * @param fleet how instances reach each other
   */
  DomainSimulation(
      DomainWorkload workload, DomainOps ops, String jdbcUrl, DomainReplay.Fleet fleet) {
    this.workload = workload;
    this.ops = ops;
    this.jdbcUrl = jdbcUrl;
    this.fleet = fleet;
  }

  /** Runs every scenario, in order. */
  List<ScenarioResult> run(List<Scenario> scenarios, Progress progress) throws Exception {
    List<ScenarioResult> results = new ArrayList<>();
    try (DomainDatabase database =
        DomainDatabase.open(jdbcUrl, workload.domain(), workload.seed())) {
      for (int i = 0; i < scenarios.size(); i++) {
        Scenario scenario = scenarios.get(i);
        if (i > 0) {
          database.reset(); // opening seeded it for the first
        }
        int index = i;
        String namespace =
            "simulate-"
                + scenario.name().toLowerCase(Locale.ROOT)
                + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        results.add(
            new DomainReplay(scenario, workload, database)
                .run(
                    ops,
                    fleet,
                    namespace,
                    done -> progress.update(index + 1, scenarios.size(), scenario.name(), done)));
      }
    }
    return results;
  }
}
