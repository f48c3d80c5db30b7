package io.freshcache.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshcache.cli.Cli;
import io.freshcache.cli.RedisCli;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code freshcache watch} against the real Redis, with publishers of every kind.
 *
 * <p>Other builds may publish on the same Redis meanwhile, and the watcher shows every publisher:
 * so each test publishes as many messages as the watcher prints ({@code --count}) and looks for its
 * own among them, rather than expecting the first line to be its own.
 */
class WatchCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LINES = 3;

  private final RedisCli redis = new RedisCli();
  private final String namespace = RedisCli.uniqueNamespace("watch");

  @AfterEach
  void cleanUp() {
    redis.connection().sync().del(RedisCli.log(namespace));
    redis.close();
  }

  /** Starts watching and returns once the subscription is in place. */
  private static Cli.Running watch(String... options) {
    String[] line = new String[options.length + 5];
    line[0] = "watch";
    line[1] = "--redis";
    line[2] = RedisCli.URI;
    line[3] = "--timeout"; // only so that a broken test cannot hang the build
    line[4] = "60s";
    System.arraycopy(options, 0, line, 5, options.length);
    Cli.Running watch = Cli.start(line);
    await().until(() -> watch.err().contains("watching cache:invalidation:*"));
    return watch;
  }

  private void publish(String channel, String message) {
    redis.connection().sync().publish(channel, message);
  }

  private static List<JsonNode> json(String out) {
    return out.lines()
        .map(
            line -> {
              try {
                return JSON.readTree(line);
              } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  @Test
  void printsARawPublishOfThePlainFormatWithNoLag() throws Exception {
    Cli.Running watch = watch("--count", Integer.toString(LINES), "--json");

    for (int i = 0; i < LINES; i++) {
      publish(
          "cache:invalidation:user.updated",
          "{\"type\":\"user.updated\",\"timestamp\":1.5,"
              + "\"payload\":{\"type\":\"delete\",\"keys\":[\"user:1\"]}}");
    }

    Cli.Run run = watch.finish();
    assertThat(run.exitCode()).isZero();
    List<JsonNode> lines = json(run.out());
    assertThat(lines).hasSize(LINES);
    List<JsonNode> ours =
        lines.stream().filter(l -> l.path("timestamp").asDouble() == 1.5).toList();
    assertThat(ours).isNotEmpty();
    for (JsonNode line : ours) {
      assertThat(line.get("type").asText()).isEqualTo("user.updated");
      assertThat(line.get("kind").asText()).isEqualTo("delete");
      assertThat(line.get("keys").toString()).isEqualTo("[\"user:1\"]");
      assertThat(line.get("channel").asText()).isEqualTo("cache:invalidation:user.updated");
      assertThat(line.has("lag_ms")).isFalse();
      assertThat(line.has("source")).isFalse();
    }
  }

  @Test
  void showsOnlyTheNamespacesEventsAndTheLagOfFreshcachePublishers() throws Exception {
    Cli.Running watch = watch("--count", Integer.toString(LINES), "--namespace", namespace);

    publish(
        "cache:invalidation:user.updated",
        "{\"type\":\"user.updated\",\"timestamp\":1.5,\"namespace\":\"someone-else\","
            + "\"payload\":{\"type\":\"delete\",\"keys\":[\"user:1\"]}}");
    Cli.Run invalidate =
        Cli.run(
            "invalidate",
            "--redis",
            RedisCli.URI,
            "--namespace",
            namespace,
            "--stream-prefix",
            RedisCli.PREFIX,
            "--tag",
            "org:42");
    for (int i = 1; i < LINES; i++) {
      publish(
          "cache:invalidation:user.updated",
          "{\"type\":\"user.updated\",\"timestamp\":1.5,\"namespace\":\""
              + namespace
              + "\",\"payload\":{\"type\":\"delete\",\"keys\":[\"user:2\"]}}");
    }

    assertThat(invalidate.exitCode()).isZero();
    Cli.Run run = watch.finish();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).hasSize(LINES);
    assertThat(run.out()).doesNotContain("someone-else");
    assertThat(run.out().lines().filter(l -> l.contains("tags=[org:42]")))
        .as(run.out())
        .singleElement()
        .asString()
        .contains("freshcache.invalidate", " tag ", "namespace=" + namespace)
        .containsPattern("source=cli-[0-9a-f]{8}")
        .containsPattern("lag=-?[0-9]+\\.[0-9]ms$");
  }

  @Test
  void showsTheCommitToSeenLagOfChangeCaptureEventsAndASummary() throws Exception {
    Cli.Running watch = watch("--count", Integer.toString(LINES), "--namespace", namespace);

    for (int i = 0; i < LINES; i++) {
      // as PgChangeCapture publishes: the commit time (wall clock), xid and lsn; committed 1 s ago
      double committed = System.currentTimeMillis() / 1e3 - 1.0;
      publish(
          "cache:invalidation:freshcache.cdc",
          "{\"type\":\"freshcache.cdc\",\"timestamp\":"
              + java.math.BigDecimal.valueOf(committed).toPlainString()
              + ",\"namespace\":\""
              + namespace
              + "\",\"payload\":{\"type\":\"delete\",\"keys\":[\"product:"
              + i
              + "\"],\"xid\":"
              + (900 + i)
              + ",\"lsn\":\"0/16B3F28\"}}");
    }

    Cli.Run run = watch.finish();
    assertThat(run.exitCode()).isZero();
    List<String> ours =
        run.out().lines().filter(l -> l.contains("freshcache.cdc") && l.contains("xid=9")).toList();
    assertThat(ours).isNotEmpty();
    for (String line : ours) {
      assertThat(line)
          .contains("namespace=" + namespace, "lsn=0/16B3F28")
          // at least the second it was committed before; the percentiles run over the watch
          .containsPattern(
              "commit_lag=[1-9][0-9]{3,}\\.[0-9]ms \\(p50 [0-9.]+ms, p99 [0-9.]+ms of [1-3]\\)$");
    }
    assertThat(run.err())
        .containsPattern(
            "commit -> seen lag of [1-3] change-capture events: p50 [0-9.]+ ms, p99 [0-9.]+ ms,"
                + " max [0-9.]+ ms");
  }

  @Test
  void printsAMalformedMessageAsALineWithTheReason() throws Exception {
    Cli.Running watch = watch("--count", Integer.toString(LINES));
    String channel = "cache:invalidation:" + namespace;

    for (int i = 0; i < LINES; i++) {
      publish(channel, "{not json");
    }

    Cli.Run run = watch.finish();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).hasSize(LINES);
    assertThat(run.out())
        .containsPattern(
            "[0-9:.]{12}  malformed message +on " + channel + ": not JSON: Unexpected character");
  }

  @Test
  void anUnreachableRedisIsOneClearLineAndExitCode1() {
    Cli.Run run = Cli.run("watch", "--redis", "redis://127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("freshcache: cannot reach Redis at redis://127.0.0.1:1: ");
  }
}
