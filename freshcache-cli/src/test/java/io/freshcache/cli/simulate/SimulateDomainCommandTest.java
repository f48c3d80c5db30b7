package io.freshcache.cli.simulate;

import static io.freshcache.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshcache.cli.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshcache simulate} on the domain workload, through the command line, on short runs. */
class SimulateDomainCommandTest {

  @TempDir Path dir;

  private static String[] quick(String... more) {
    List<String> line =
        new ArrayList<>(List.of("simulate", "--duration", "2s", "--rate", "300", "--seed", "5"));
    line.addAll(List.of(more));
    return line.toArray(String[]::new);
  }

  @Test
  void printsEveryChosenScenarioEveryEntityAndARecommendation() {
    Run ok = run(quick("--scenarios", "ttl-everywhere,tuned"));

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("Domain workload: 2,000 users")
        .containsPattern("(?m)^ttl-everywhere ")
        .containsPattern("(?m)^tuned ")
        .contains("Recommendation per entity")
        .contains("tolerance 0")
        .contains("Reproduce: freshcache simulate --duration 2s --rate 300 --seed 5");
    for (Entity e : Entity.values()) {
      assertThat(ok.out()).containsPattern("(?m)^" + e.label() + " \\(");
      assertThat(ok.out()).containsPattern("(?m)^  " + e.label() + " +use ");
    }
    assertThat(ok.err()).isEmpty(); // no terminal here: no progress bar
  }

  @Test
  void writesJsonWithEveryEntityOfEveryScenario() throws Exception {
    Run ok = run(quick("--scenarios", "no-cache,event-driven", "--json"));

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.err()).isEmpty();
    JsonNode root = new ObjectMapper().readTree(ok.out());
    assertThat(root.at("/workload/instances").asInt()).isEqualTo(4);
    assertThat(root.get("scenarios")).hasSize(2);
    for (JsonNode scenario : root.get("scenarios")) {
      assertThat(scenario.get("entities")).hasSize(Entity.values().length);
    }
    assertThat(root.at("/scenarios/0/hitRatio").asDouble()).isZero();
    assertThat(root.at("/scenarios/1/messagesSent").asLong()).isPositive();
    assertThat(root.get("recommendations")).hasSize(Entity.values().length);
  }

  @Test
  void writesOneSelfContainedHtmlReport() throws Exception {
    Path report = dir.resolve("report.html");
    Run ok = run(quick("--scenarios", "ttl-everywhere,tuned", "--report", report.toString()));

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    String html = Files.readString(report);
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .doesNotContain("http://", "https://", "<script", "<link", "src=")
        .contains("freshcache simulate --duration 2s --rate 300 --seed 5 --scenarios")
        .contains("Stale reads over time", "Recommendation per entity", "<polyline")
        .containsPattern(
            "<td>[0-9.]+% · verifier [0-9.]+% \\([0-9.]+%-[0-9.]+%, [0-9,]+ checks\\)</td>");
    assertThat(html.split("<svg", -1).length - 1).isGreaterThanOrEqualTo(9);
  }

  @Test
  void replaysTheSampleTrace() {
    Run ok =
        run("simulate", "--trace", "examples/trace.csv", "--scenarios", "ttl-everywhere,tuned");

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("operations replayed from examples/trace.csv");
  }

  @Test
  void aMalformedTraceLineIsReportedWithItsNumber() throws Exception {
    Path trace = dir.resolve("trace.csv");
    Files.writeString(
        trace,
        "time,operation,entity,key\n0.1,read,price,3\n\n0.2,delete,price,3\n0.3,read,price,4\n");

    Run bad = run("simulate", "--trace", trace.toString());

    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err())
        .hasLineCount(1)
        .contains(trace + " line 4: operation 'delete' is not read, write or event")
        .contains("time,operation,entity,key[,version]")
        .doesNotContain("Exception", "at io.");
    Files.writeString(trace, "0.5,read,price,3\n0.2,read,price,3\n");
    assertThat(run("simulate", "--trace", trace.toString()).err())
        .contains("line 2: time 0.2 is before the line above's");
    Files.writeString(trace, "0.5,read,pricing,3\n");
    assertThat(run("simulate", "--trace", trace.toString()).err())
        .contains("line 1: unknown entity 'pricing'; valid names are: profile");
  }

  @Test
  void badNamesAndImpossibleSettingsAreOneLineNamingTheFix() {
    Run scenario = run(quick("--scenarios", "ttl-everywhere,lru"));
    assertThat(scenario.exitCode()).isEqualTo(2);
    assertThat(scenario.err())
        .contains("unknown scenario 'lru'; valid scenarios are: no-cache, ttl-everywhere");

    Run strategy = run(quick("--strategies", "price=lru"));
    assertThat(strategy.exitCode()).isEqualTo(2);
    assertThat(strategy.err()).contains("unknown strategy 'lru'; valid strategies are: none, ttl");

    Run derived = run(quick("--strategies", "feed=write-through"));
    assertThat(derived.exitCode()).isEqualTo(2);
    assertThat(derived.err()).contains("feed is computed: use cascade, event or tags");

    Run products = run(quick("--keys", "100"));
    assertThat(products.exitCode()).isEqualTo(2);
    assertThat(products.err()).contains("--keys applies to --workload products only");

    Run rate = run(quick("--write-rate", "feed=3"));
    assertThat(rate.exitCode()).isEqualTo(2);
    assertThat(rate.err()).contains("a computed entity has no row to write");

    Run workload = run(quick("--workload", "orders"));
    assertThat(workload.exitCode()).isEqualTo(2);
    assertThat(workload.err()).contains("unknown workload 'orders'; valid workloads are: domain");

    Run deletions = run(quick("--user-deletion-every", "50ms"));
    assertThat(deletions.exitCode()).isEqualTo(2);
    assertThat(deletions.err()).contains("--user-deletion-every must be 0 (off) or at least 100ms");

    Run productsOnly = run("simulate", "--workload", "products", "--discontinuation-every", "1s");
    assertThat(productsOnly.exitCode()).isEqualTo(2);
    assertThat(productsOnly.err())
        .contains("--discontinuation-every applies to the domain workload only");

    Run traceAndDuration = run("simulate", "--trace", "examples/trace.csv", "--duration", "5s");
    assertThat(traceAndDuration.exitCode()).isEqualTo(2);
    assertThat(traceAndDuration.err()).contains("--duration and --trace do not go together");

    for (Run bad :
        List.of(
            scenario,
            strategy,
            derived,
            products,
            rate,
            workload,
            deletions,
            productsOnly,
            traceAndDuration)) {
      assertThat(bad.out()).isEmpty();
      assertThat(bad.err()).doesNotContain("Exception", "at io.");
    }
  }

  @Test
  void anUnreachableRedisIsOneLineAndExitCodeOneBeforeAnythingRuns() {
    Run bad = run(quick("--redis", "redis://127.0.0.1:1"));

    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err())
        .hasLineCount(1)
        .startsWith("freshcache: cannot reach Redis at redis://127.0.0.1:1: ");
  }

  @Test
  void anUnreachableDatabaseIsOneLineAndExitCodeOne() {
    Run bad = run(quick("--jdbc", "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=pw"));

    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err())
        .hasLineCount(1)
        .startsWith("freshcache: cannot reach the database at jdbc:postgresql://127.0.0.1:1/")
        .contains("password=***", "leave --jdbc out")
        .doesNotContain("password=pw");
  }
}
