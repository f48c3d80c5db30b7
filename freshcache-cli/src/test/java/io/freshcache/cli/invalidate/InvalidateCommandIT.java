package io.freshcache.cli.invalidate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import io.freshcache.cli.Cli;
import io.freshcache.cli.RedisCli;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import io.freshcache.redis.RedisBus;
import io.freshcache.redis.RedisSharedTier;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  private final Map<String, String> rows = new ConcurrentHashMap<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
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
  void cleanUp() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    group.close();
    bus.close();
    redis.deleteNamespace(namespace); // the log, and the shared tier's keys
    redis.close();
  }

  /** Another instance of the group, with the shared tier on the same Redis and prefix. */
  private FreshCache<String, String> sharedInstance(String id, String cache, String prefix) {
    return sharedInstance(id, cache, prefix, RedisCli.PREFIX);
  }

  private FreshCache<String, String> sharedInstance(
      String id, String cache, String prefix, String tierPrefix) {
    RedisSharedTier tier =
        RedisSharedTier.builder(RedisCli.URI, namespace).keyPrefix(tierPrefix).build();
    RedisBus instanceBus =
        RedisBus.builder(RedisCli.URI, namespace).keyPrefix(RedisCli.PREFIX).build();
    CacheGroup instance =
        CacheGroup.builder(namespace).bus(instanceBus).shared(tier).instanceId(id).build();
    closing.add(0, tier);
    closing.add(0, instanceBus);
    closing.add(0, instance);
    return instance
        .cache(cache, String.class, String.class)
        .keyPrefix(prefix)
        .source(rows::get)
        .build();
  }

  /** The shared tier's entry of a key, as a plain Redis client sees it. */
  private String tierEntry(String cache, String key) {
    return tierEntry(RedisCli.PREFIX, cache, key);
  }

  private String tierEntry(String tierPrefix, String cache, String key) {
    return tierPrefix + ":{" + namespace + "}:e:" + cache + "/" + key;
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

  /** The events in the group's log, without the instances' periodic statuses. */
  private java.util.List<String> events() {
    return redis
        .connection()
        .sync()
        .xrange(RedisCli.log(namespace), io.lettuce.core.Range.create("-", "+"))
        .stream()
        .map(entry -> entry.getBody().get("m"))
        .filter(m -> !io.freshcache.event.StatusMessages.isStatus(m))
        .toList();
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
    assertThat(events()).hasSize(1);
    // A publisher for one call, not an instance: it sends no status for 'freshcache stats'.
    assertThat(
            redis
                .connection()
                .sync()
                .xrange(RedisCli.log(namespace), io.lettuce.core.Range.create("-", "+")))
        .extracting(entry -> entry.getBody().get("m"))
        .filteredOn(io.freshcache.event.StatusMessages::isStatus)
        .extracting(m -> io.freshcache.event.StatusMessages.decode(m).instanceId())
        .noneMatch(id -> id.startsWith("cli-"));
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

  /**
   * The command is a publisher like any instance: it clears the shared tier before it publishes, so
   * that no instance fills the old value back from it.
   */
  private void assertTheSharedTierForgetsUser3(String... what) {
    rows.put("3", "old");
    rows.put("4", "four");
    FreshCache<String, String> first = sharedInstance("app-2", "users", "user:");
    FreshCache<String, String> second = sharedInstance("app-3", "users", "user:");
    RedisCommands<String, String> plain = redis.connection().sync();
    assertThat(first.get("3")).isEqualTo("old");
    assertThat(first.get("4")).isEqualTo("four");
    await()
        .until(() -> plain.exists(tierEntry("users", "user:3"), tierEntry("users", "user:4")) == 2);
    assertThat(plain.hget(tierEntry("users", "user:3"), "v")).isEqualTo("\"old\"");
    rows.put("3", "new");

    Cli.Run run = invalidate(what);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(plain.exists(tierEntry("users", "user:3"))).isZero();
    assertThat(second.get("3")).isEqualTo("new");
    await().until(() -> "new".equals(first.get("3")));
  }

  @Test
  void aKeyInvalidationClearsTheSharedTier() {
    assertTheSharedTierForgetsUser3("--key", "user:3");
    assertThat(redis.connection().sync().exists(tierEntry("users", "user:4"))).isOne();
  }

  @Test
  void aPatternInvalidationClearsTheSharedTier() {
    assertTheSharedTierForgetsUser3("--pattern", "user:3*");
    assertThat(redis.connection().sync().exists(tierEntry("users", "user:4"))).isOne();
  }

  @Test
  void invalidatingEverythingClearsTheSharedTierOfEveryCache() {
    rows.put("1", "order one");
    FreshCache<String, String> orders = sharedInstance("orders-1", "orders", "order:");
    assertThat(orders.get("1")).isEqualTo("order one");
    await().until(() -> redis.connection().sync().exists(tierEntry("orders", "order:1")) == 1);

    assertTheSharedTierForgetsUser3("--all");
    assertThat(redis.connection().sync().exists(tierEntry("users", "user:4"))).isZero();
    assertThat(redis.connection().sync().exists(tierEntry("orders", "order:1"))).isZero();
  }

  @Test
  void aTierBuiltWithAnotherPrefixThanTheBusIsNamedByTierPrefix() {
    rows.put("5", "old");
    FreshCache<String, String> instance = sharedInstance("app-4", "users", "user:", "fctier");
    RedisCommands<String, String> plain = redis.connection().sync();
    try {
      assertThat(instance.get("5")).isEqualTo("old");
      await().until(() -> plain.exists(tierEntry("fctier", "users", "user:5")) == 1);

      Cli.Run run = invalidate("--key", "user:5", "--tier-prefix", "fctier");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(plain.exists(tierEntry("fctier", "users", "user:5"))).isZero();
    } finally {
      plain.unlink(tierEntry("fctier", "users", "user:5"), "fctier:{" + namespace + "}:caches");
    }
  }

  @Test
  void aPatternThatWouldMatchEverythingIsRefusedAndNothingIsPublished() {
    users.get("1");

    Cli.Run run = invalidate("--pattern", "*");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("pattern \"*\" would invalidate every key: nothing was invalidated")
        .contains("--all");
    assertThat(events()).isEmpty();
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
