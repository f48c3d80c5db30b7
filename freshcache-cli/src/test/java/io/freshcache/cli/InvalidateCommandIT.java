package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.Invalidation;
import io.freshcache.InvalidationEvent;
import io.freshcache.Tags;
import io.freshcache.redis.RedisBus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code freshcache invalidate} against the real Redis, received by an instance of the group: a
 * {@link CacheGroup} on a {@link RedisBus}, as an application would build it.
 */
class InvalidateCommandIT {

  private final RedisCli redis = new RedisCli();
  private final String namespace = RedisCli.uniqueNamespace("invalidate");
  private final List<InvalidationEvent> handled = new CopyOnWriteArrayList<>();
  private RedisBus bus;
  private CacheGroup group;
  private FreshCache<String, String> users;

  @BeforeEach
  void startAnInstance() {
    bus = RedisBus.builder(RedisCli.URI, namespace).keyPrefix(RedisCli.PREFIX).build();
    group = CacheGroup.builder(namespace).bus(bus).instanceId("app-1").build();
    users =
        group
            .cache("users", String.class, String.class)
            .keyPrefix("user:")
            .source(id -> "user " + id)
            .build();
    group.subscribe(
        "user.*",
        event -> {
          handled.add(event);
          return List.of();
        });
  }

  @AfterEach
  void cleanUp() {
    group.close();
    bus.close();
    redis.connection().sync().del(RedisCli.log(namespace));
    redis.close();
  }

  private Cli.Run invalidate(String... what) {
    String[] line = new String[what.length + 7];
    line[0] = "invalidate";
    line[1] = "--redis";
    line[2] = RedisCli.URI;
    line[3] = "--namespace";
    line[4] = namespace;
    line[5] = "--stream-prefix";
    line[6] = RedisCli.PREFIX;
    System.arraycopy(what, 0, line, 7, what.length);
    return Cli.run(line);
  }

  /** Whether the instance holds an entry for the key, whatever its bus vouches for now. */
  private boolean held(String id) {
    return users.analytics().key(id).isPresent();
  }

  @Test
  void invalidatesAKeyOnTheGroupsInstancesThroughTheChannelAndTheLog() {
    users.get("9");
    users.get("8");

    Cli.Run run = invalidate("--key", "user:9");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .startsWith("invalidated keys [user:9] in group " + namespace)
        .contains("event freshcache.invalidate");
    await().until(() -> !held("9"));
    assertThat(held("8")).isTrue();
    // The command returned after Redis took the event: it is already in the group's log.
    assertThat(redis.connection().sync().xlen(RedisCli.log(namespace))).isEqualTo(1);
  }

  @Test
  void publishesADomainEventThatRunsTheInstancesHandlers() {
    users.put("7", "user 7", Tags.of("org:42"));

    Cli.Run run = invalidate("--tag", "org:42", "--type", "user.updated");

    assertThat(run.exitCode()).isZero();
    await().until(() -> !handled.isEmpty());
    InvalidationEvent event = handled.get(0);
    assertThat(event.type()).isEqualTo("user.updated");
    assertThat(event.invalidation()).isEqualTo(Invalidation.tags("org:42"));
    assertThat(event.source()).startsWith("cli-");
    assertThat(held("7")).isFalse(); // the tag was invalidated before the handler ran
  }

  @Test
  void aPatternThatWouldMatchEverythingIsRefusedAndNothingIsPublished() {
    users.get("1");

    Cli.Run run = invalidate("--pattern", "*");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("pattern \"*\" would invalidate every key: nothing was invalidated")
        .contains("--all");
    assertThat(redis.connection().sync().exists(RedisCli.log(namespace))).isZero();
    assertThat(held("1")).isTrue();
  }

  @Test
  void anUnreachableRedisIsOneClearLineAndExitCode1() {
    Cli.Run run =
        Cli.run("invalidate", "--redis", "redis://127.0.0.1:1", "--namespace", namespace, "--all");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .startsWith("freshcache: cannot reach Redis at redis://127.0.0.1:1: ")
        .doesNotContain("Exception");
  }
}
