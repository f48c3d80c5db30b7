package io.freshcache.cli;

import static io.freshcache.cli.MainTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.cli.MainTest.Run;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {

  private static final String[] SMALL = {"simulate", "--ops", "2000", "--keys", "100"};

  private static String[] small(String... more) {
    String[] args = new String[SMALL.length + more.length];
    System.arraycopy(SMALL, 0, args, 0, SMALL.length);
    System.arraycopy(more, 0, args, SMALL.length, more.length);
    return args;
  }

  @Test
  void helpExplainsTheOptionsAndListsEveryStrategy() {
    Run help = run("simulate", "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("--keys", "--ops", "--skew", "--write-ratio", "--outage", "--rate")
        .contains("--source-latency", "--seed", "--instances", "--strategies", "--json")
        .contains("--redis", "a RedisBus of its own")
        .contains("Time-based, on one instance")
        .contains("Invalidation, on --instances instances")
        .contains("virtual");
    for (Strategy strategy : Strategy.catalogue()) {
      assertThat(help.out()).contains(strategy.label());
    }
  }

  @Test
  void anUnknownStrategyIsAUsageErrorListingTheValidNames() {
    Run bad = run(small("--strategies", "ttl,lru"));

    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).contains("'lru'");
    for (Strategy strategy : Strategy.catalogue()) {
      assertThat(bad.err()).contains(strategy.label());
    }
  }

  @Test
  void aRedisUriThatIsNotOneIsAUsageError() {
    Run bad = run(small("--redis", "http://127.0.0.1:6379"));

    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).contains("--redis").contains("is not a Redis URI");
  }

  @Test
  void anOutOfRangeSettingIsAUsageErrorNamingTheOption() {
    Run bad = run(small("--outage", "1.5"));

    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--outage").contains("1.5");
    Run noInstances = run(small("--instances", "0"));
    assertThat(noInstances.exitCode()).isEqualTo(2);
    assertThat(noInstances.err()).contains("--instances");
  }

  @Test
  void runsTheInvalidationStrategiesOnTheInstancesAskedFor() throws Exception {
    Run ok = run(small("--instances", "2", "--strategies", "ttl,pub-sub", "--json"));

    assertThat(ok.exitCode()).isZero();
    assertThat(JsonReportTest.parse(ok.out()))
        .contains("\"name\":\"pub-sub\",\"configuration\"")
        .contains("\"instances\":2")
        .containsPattern("\"handlerCallsPerInstance\":\\[\\d+,\\d+\\]");
    Run table = run(small("--instances", "2", "--strategies", "ttl,pub-sub"));
    assertThat(table.out()).contains("-- 2 instances on one bus").containsPattern("(?m)^pub-sub ");
  }

  @Test
  void runsTheChosenStrategiesInOrderAndPrintsATable() {
    Run ok = run(small("--strategies", "ttl,no-cache,ttl"));

    assertThat(ok.exitCode()).isZero();
    List<String> rows =
        ok.out().lines().filter(line -> line.matches("^(no-cache|ttl|sliding) .*")).toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).startsWith("ttl ");
    assertThat(rows.get(1)).startsWith("no-cache ");
    assertThat(ok.out()).contains("2,000 ops on 100 keys");
  }

  @Test
  void printsValidJsonWhenAsked() throws Exception {
    Run ok = run(small("--strategies", "stale-if-error", "--json"));

    assertThat(ok.exitCode()).isZero();
    assertThat(JsonReportTest.parse(ok.out()))
        .contains("\"name\":\"stale-if-error\"")
        .doesNotContain("\"name\":\"ttl\"");
  }

  @Test
  void theOptionsDefaultToTheDefaultWorkload() {
    SimulateCommand simulate = new SimulateCommand();
    new CommandLine(simulate).parseArgs();

    assertThat(simulate.workload()).isEqualTo(Workload.defaults());
  }

  @Test
  void aNegativeDurationIsRefusedAsNegativeNamingTheOption() {
    for (String[] latency :
        List.of(
            new String[] {"--source-latency=-2ms"}, new String[] {"--source-latency", "-2ms"})) {
      Run bad = run(small(latency));

      assertThat(bad.exitCode()).as(latency[0]).isEqualTo(2);
      assertThat(bad.out()).isEmpty();
      assertThat(bad.err())
          .contains("'--source-latency'", "must not be negative, was -2ms")
          .doesNotContain("is not a duration", "Exception");
    }
  }
}
