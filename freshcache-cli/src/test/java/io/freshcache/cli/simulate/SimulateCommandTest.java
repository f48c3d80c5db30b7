package io.freshcache.cli.simulate;

import static io.freshcache.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshcache.cli.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

  private static final String[] SMALL = {
    "simulate", "--workload", "products", "--ops", "2000", "--keys", "100"
  };

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

  @TempDir Path dir;

  @Test
  void writesOneSelfContainedHtmlReportWithAChartPerMeasure() throws Exception {
    Path report = dir.resolve("products.html");
    Run ok = run(small("--strategies", "ttl,no-cache,pub-sub,tags", "--report", report.toString()));

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("Report written to " + report);
    String html = Files.readString(report);
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .doesNotContain("http://", "https://", "<script", "<link", "src=")
        .contains("freshcache simulate --workload products --ops 2000 --keys 100")
        .contains("--seed 42");
    List<String> measures =
        List.of(
            "Hit ratio",
            "Source loads",
            "Stale reads",
            "Errors",
            "Get latency p50",
            "Get latency p99");
    for (String measure : measures) {
      assertThat(html).contains("aria-label=\"" + measure);
    }
    // In process nothing measures a propagation lag: one chart per measure above, no more.
    assertThat(html.split("<svg", -1).length - 1).isEqualTo(measures.size());
    for (String chart : html.split("<svg", -1)) {
      if (chart.contains("aria-label")) {
        assertThat(chart).contains(">ttl<", ">no-cache<", ">pub-sub<", ">tags<");
      }
    }
  }

  @Test
  void aToleranceExcusesStaleReadsYoungerThanIt() throws Exception {
    JsonNode strict = rows(run(small("--strategies", "ttl", "--json"))).get("ttl");
    JsonNode lenient =
        rows(run(small("--strategies", "ttl", "--tolerance", "10m", "--json"))).get("ttl");

    assertThat(strict.get("staleReads").asLong()).isPositive();
    // The whole run is shorter than ten minutes: every newer version is younger than that.
    assertThat(lenient.get("staleReads").asLong()).isZero();
    assertThat(lenient.get("reads")).isEqualTo(strict.get("reads"));
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

  /**
   * 2,000 operations at 20 ops/s: 100 s of virtual time, so 30 s lifetimes (24 s to 36 s with
   * jitter) expire a few times and the random draws of jitter and probabilistic refresh show.
   */
  private static String[] seeded(long seed, String... more) {
    String[] args = small("--rate", "20", "--seed", Long.toString(seed), "--json");
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  /**
   * Each strategy's row of a --json report, by name, without what measures real time on this
   * machine (latencies, propagation lags, wall-clock seconds): what is left is counts, and virtual
   * time.
   */
  private static Map<String, JsonNode> rows(Run run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (JsonNode row : new ObjectMapper().readTree(run.out()).get("strategies")) {
      rows.put(row.get("name").asText(), withoutRealTime(row.deepCopy()));
    }
    return rows;
  }

  private static JsonNode withoutRealTime(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> real = new ArrayList<>();
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (name.endsWith("Micros") || name.equals("realSeconds")) {
          real.add(name);
        }
      }
      object.remove(real);
    }
    for (JsonNode child : node) {
      withoutRealTime(child);
    }
    return node;
  }

  @Test
  void theSameSeedGivesTheSameCountsInEveryRow() throws Exception {
    Map<String, JsonNode> first = rows(run(seeded(7)));
    Map<String, JsonNode> second = rows(run(seeded(7)));

    assertThat(first.keySet())
        .containsExactlyElementsOf(Strategy.catalogue().stream().map(Strategy::label).toList());
    for (String name : first.keySet()) {
      if (name.equals(InvalidationStrategy.WRITE_BEHIND.label())) {
        // Its flusher runs on real time (the --seed help says so): only the trace's share repeats.
        for (String field : List.of("/reads", "/cluster/writes", "/cluster/rowsWritten")) {
          assertThat(second.get(name).at(field))
              .as(name + field)
              .isEqualTo(first.get(name).at(field));
        }
        continue;
      }
      assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
    }
  }

  @Test
  void aDifferentSeedGivesDifferentJitterCounts() throws Exception {
    JsonNode one = rows(run(seeded(1, "--strategies", "ttl+jitter"))).get("ttl+jitter");
    JsonNode two = rows(run(seeded(2, "--strategies", "ttl+jitter"))).get("ttl+jitter");

    assertThat(two.get("sourceLoads")).isNotEqualTo(one.get("sourceLoads"));
  }

  @Test
  void theSeedHelpSaysWhatItCoversAndWhatDoesNotRepeat() {
    String seed =
        String.join(
            " ", SimulateCommand.commandLine().getCommandSpec().findOption("--seed").description());

    assertThat(seed).contains("jitter", "probabilistic", "write-behind", "--redis");
  }

  @Test
  void aRunTooBigForTheHeapIsRefusedInOneLineNamingTheOption() {
    Run keys =
        run(
            "simulate",
            "--workload",
            "products",
            "--keys=2000000000",
            "--ops",
            "1000",
            "--strategies",
            "ttl");
    Run ops =
        run(
            "simulate",
            "--workload",
            "products",
            "--keys",
            "100",
            "--ops=2000000000",
            "--strategies",
            "ttl");

    for (Run refused : List.of(keys, ops)) {
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.err().lines()).hasSize(1);
      assertThat(refused.err())
          .containsPattern("needs about [\\d,.]+ GiB but the heap holds [\\d,.]+ [GM]iB")
          .contains("-Xmx")
          .doesNotContain("Exception", "Error", "at io.");
    }
    assertThat(keys.err()).startsWith("freshcache: --keys=2000000000 ").contains("fewer keys");
    assertThat(ops.err()).startsWith("freshcache: --ops=2000000000 ").contains("fewer ops");
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
