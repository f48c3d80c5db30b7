package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshcache.cli.Cli;
import io.freshcache.cli.RedisCli;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code freshcache simulate --redis} against the real Redis: the invalidation rows run their
 * instances on buses of their own, propagation is asynchronous, and nothing is left behind.
 */
class SimulateCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisCli redis = new RedisCli();

  @AfterEach
  void disconnect() {
    redis.close();
  }

  private static String[] small(String... more) {
    List<String> line =
        new ArrayList<>(
            List.of(
                "simulate",
                "--workload",
                "products",
                "--redis",
                RedisCli.URI,
                "--ops",
                "3000",
                "--keys",
                "200"));
    line.addAll(List.of(more));
    return line.toArray(String[]::new);
  }

  /** Every key under the simulator's prefix, by SCAN. */
  private List<String> simulatorKeys() {
    RedisCommands<String, String> sync = redis.connection().sync();
    ScanArgs match = ScanArgs.Builder.matches(RedisTransport.KEY_PREFIX + "*").limit(1000);
    List<String> keys = new ArrayList<>();
    KeyScanCursor<String> cursor = sync.scan(match);
    keys.addAll(cursor.getKeys());
    while (!cursor.isFinished()) {
      cursor = sync.scan(ScanCursor.of(cursor.getCursor()), match);
      keys.addAll(cursor.getKeys());
    }
    return keys;
  }

  @Test
  void runsTheInstancesOverRedisWhereStaleReadsShowAndLeavesNoKeysBehind() throws Exception {
    Cli.Run run =
        Cli.run(
            small("--strategies", "manual,no-invalidation,pub-sub", "--instances", "3", "--json"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, JsonNode> rows = new HashMap<>();
    for (JsonNode row : JSON.readTree(run.out()).get("strategies")) {
      rows.put(row.get("name").asText(), row);
    }
    assertThat(rows).containsOnlyKeys("manual", "no-invalidation", "pub-sub");
    for (JsonNode row : rows.values()) {
      JsonNode cluster = row.get("cluster");
      assertThat(cluster.get("redis").asText()).isEqualTo(RedisCli.URI.replace("redis://", ""));
      assertThat(cluster.get("rowsBehind").asLong()).isZero();
      assertThat(cluster.get("losses").asLong()).isZero();
      assertThat(cluster.get("lagPerInstance")).hasSize(3);
    }
    long unprotected = rows.get("no-invalidation").get("staleReads").asLong();
    long invalidated = rows.get("manual").get("staleReads").asLong();
    assertThat(unprotected).isPositive();
    // Over an asynchronous bus a read can beat an invalidation, but not most of the time.
    assertThat(invalidated).isLessThan(unprotected);
    // Every instance received the others' events, measured their lag and ran its handler.
    for (String name : List.of("manual", "pub-sub")) {
      for (JsonNode lag : rows.get(name).get("cluster").get("lagPerInstance")) {
        assertThat(lag.get("count").asLong()).as(name).isPositive();
        assertThat(lag.get("p99Micros").asLong())
            .isGreaterThanOrEqualTo(lag.get("p50Micros").asLong());
      }
    }
    for (JsonNode calls : rows.get("pub-sub").get("cluster").get("handlerCallsPerInstance")) {
      assertThat(calls.asLong()).isPositive();
    }
    assertThat(simulatorKeys()).isEmpty();
  }

  @Test
  void pacedToRealTimeAnInvalidatingStrategyServesNoStaleReadBeyondTheTolerance() throws Exception {
    Cli.Run run =
        Cli.run(small("--strategies", "no-invalidation,pub-sub,versions", "--seed", "3", "--json"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, JsonNode> rows = new HashMap<>();
    for (JsonNode row : JSON.readTree(run.out()).get("strategies")) {
      rows.put(row.get("name").asText(), row);
    }
    // Without invalidation the other instances keep their copies: stale reads are there to find.
    assertThat(rows.get("no-invalidation").get("staleReads").asLong()).isPositive();
    for (String name : List.of("pub-sub", "versions")) {
      JsonNode row = rows.get(name);
      // Virtual time follows real time, so an event's real lag is its lag in virtual time: within
      // the tolerance, a read after an invalidation reaches every instance finds it applied.
      assertThat(row.get("staleReads").asLong()).as(name + " stale reads").isZero();
      JsonNode cluster = row.get("cluster");
      assertThat(cluster.get("paced").asBoolean()).as(name).isTrue();
      assertThat(cluster.get("toleranceMillis").asDouble()).as(name).isEqualTo(5.0);
      assertThat(cluster.get("maxBehindRealTimeMillis").asDouble()).as(name).isNotNegative();
      // Paced, the operations took at least their virtual time: 3,000 at 1,000 a second.
      assertThat(cluster.get("realSeconds").asDouble()).as(name).isGreaterThanOrEqualTo(3.0);
    }
    assertThat(simulatorKeys()).isEmpty();
  }

  @Test
  void theTableSaysWhatStaleMeansOverRedisAndHowFarThePaceFellBehind() {
    Cli.Run run = Cli.run(small("--strategies", "ttl,pub-sub"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("paced to real time")
        .contains("tolerance 5ms")
        .contains("behind real time");
    assertThat(simulatorKeys()).isEmpty();
  }

  @Test
  void theTableSaysTheInstancesRunOverRedisAndHowLateEventsArrived() {
    Cli.Run run = Cli.run(small("--strategies", "ttl,pub-sub"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    String header = run.out().lines().findFirst().orElseThrow();
    assertThat(header).endsWith("; instances over Redis at 127.0.0.1:6379");
    assertThat(run.out())
        .contains("-- 3 instances over Redis, no outage")
        .contains("over Redis: propagation lag")
        .contains("0 losses");
    assertThat(simulatorKeys()).isEmpty();
  }

  @Test
  void anUnreachableRedisIsOneLineAndExitCodeOneBeforeAnythingRuns() {
    Cli.Run run =
        Cli.run(
            "simulate",
            "--workload",
            "products",
            "--redis",
            "redis://127.0.0.1:1",
            "--ops",
            "2000");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("freshcache: cannot reach Redis at redis://127.0.0.1:1: ")
        .hasLineCount(1);
  }

  @Test
  void aPasswordInTheUriIsNeverPrinted() {
    // Whether this Redis takes the password or refuses it, neither output may show it.
    Cli.Run run =
        Cli.run(
            "simulate",
            "--workload",
            "products",
            "--redis",
            "redis://:s3cret@127.0.0.1:6379",
            "--ops",
            "2000",
            "--keys",
            "100",
            "--strategies",
            "manual");

    assertThat(run.exitCode()).isIn(0, 1);
    assertThat(run.out() + run.err()).doesNotContain("s3cret").contains("127.0.0.1:6379");
    assertThat(simulatorKeys()).isEmpty();
  }
}
