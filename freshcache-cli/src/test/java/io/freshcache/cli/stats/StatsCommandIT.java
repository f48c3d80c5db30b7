package io.freshcache.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshcache.cli.Cli;
import io.freshcache.cli.RedisCli;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code freshcache stats} against the real Redis and a fleet of real processes: it shows every
 * running instance, and one that was killed as gone, not silently dropped.
 */
class StatsCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisCli redis = new RedisCli();
  private final String namespace = RedisCli.uniqueNamespace("stats");
  private final List<Process> fleet = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    fleet.forEach(Process::destroyForcibly);
    redis.deleteNamespace(namespace);
    redis.close();
  }

  private Process member(String id) throws Exception {
    Process p = FleetMemberProcess.start(RedisCli.URI, RedisCli.PREFIX, namespace, id);
    fleet.add(p);
    return p;
  }

  private Cli.Run stats(String... options) {
    List<String> line =
        new ArrayList<>(
            List.of(
                "stats",
                "--redis",
                RedisCli.URI,
                "--namespace",
                namespace,
                "--stream-prefix",
                RedisCli.PREFIX));
    line.addAll(List.of(options));
    return Cli.run(line.toArray(String[]::new));
  }

  /** Instance id → state, from one {@code --json} run. */
  private Map<String, String> states() throws Exception {
    Cli.Run run = stats("--json");
    Map<String, String> states = new HashMap<>();
    if (run.exitCode() != 0) {
      return states;
    }
    for (JsonNode i : JSON.readTree(run.out()).get("instances")) {
      states.put(i.get("instance").asText(), i.get("state").asText());
    }
    return states;
  }

  @Test
  void showsEveryRunningInstanceThenOneKilledAsGoneAndOneStoppedAsClosed() throws Exception {
    Process a = member("a");
    member("b");
    Process c = member("c");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> states().equals(Map.of("a", "up", "b", "up", "c", "up")));
    Cli.Run table = stats();
    assertThat(table.exitCode()).isZero();
    assertThat(table.out())
        .contains("group " + namespace + " on redis://")
        .contains(": 3 instances (3 up)");
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(2)).startsWith("INSTANCE").contains("STATE").contains("HIT RATIO");
    assertThat(lines.subList(3, 6)).allSatisfy(l -> assertThat(l).matches("[abc] .* up .*"));

    JsonNode instances = JSON.readTree(stats("--json").out()).get("instances");
    assertThat(instances).hasSize(3);
    for (JsonNode i : instances) {
      assertThat(i.get("pid").asLong()).isIn(fleet.stream().map(Process::pid).toList());
      assertThat(i.get("caches").asInt()).isEqualTo(1);
      assertThat(i.get("hits").asLong() + i.get("misses").asLong()).isEqualTo(4); // its reads
    }

    a.destroyForcibly().waitFor(); // SIGKILL: no last word
    c.destroy(); // SIGTERM: the shutdown hook closes the group, which says so
    c.waitFor();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> states().equals(Map.of("a", "gone", "b", "up", "c", "closed")));
    Cli.Run after = stats();
    assertThat(after.out()).contains(": 3 instances (1 up, 1 gone, 1 closed)");
    assertThat(after.out().lines().filter(l -> l.startsWith("a ")).findFirst().orElseThrow())
        .contains(" gone ");
  }

  @Test
  void watchRefreshesInPlaceUntilTheTimeout() throws Exception {
    member("w");
    await().atMost(Duration.ofSeconds(30)).until(() -> states().containsKey("w"));

    Cli.Run run = stats("--watch", "--every", "100ms", "--timeout", "1s");

    assertThat(run.exitCode()).isZero();
    long refreshes = run.out().lines().filter(l -> l.contains("group " + namespace)).count();
    assertThat(refreshes).isGreaterThanOrEqualTo(2);
    assertThat(run.out()).contains("\u001b[H\u001b[2J").contains("refreshed every 100ms");
  }

  @Test
  void aGroupNobodyReportsInIsOneLineNamingWhatToCheck() {
    Cli.Run run = stats();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith(
            "freshcache: no instance of group '" + namespace + "' sent a status in the last 10m00s")
        .contains("check --namespace");
  }

  @Test
  void aKeyThatIsNotALogIsOneLine() {
    redis.connection().sync().set(RedisCli.log(namespace), "not a stream");

    Cli.Run run = stats();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .contains("is not a freshcache log (it is not a stream): check --stream-prefix");
  }

  @Test
  void anUnreachableRedisIsOneLine() {
    Cli.Run run = Cli.run("stats", "--redis", "redis://127.0.0.1:1", "--namespace", "shop");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("freshcache: cannot reach Redis at redis://127.0.0.1:1");
  }
}
