package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import io.freshcache.event.Invalidation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two groups with different namespaces on one Redis, with the same key prefix and the same caches:
 * nothing done in one changes the other's local caches or its shared tier entries, whatever the
 * invalidation, and whoever publishes it, unless an event names no namespace at all (a plain
 * publisher's), which every namespace applies by design.
 */
class NamespaceIsolationIT {

  private static final String PREFIX = "fctest";
  private static final String A = "iso-a";
  private static final String B = "iso-b";

  private final List<AutoCloseable> closing = new ArrayList<>();
  private PrivateRedis redis;
  private RedisClient adminClient;
  private StatefulRedisConnection<String, byte[]> admin;
  private Instance a1;
  private Instance a2;
  private Instance b1;

  /** One application instance: a group on its own bus and tier, with one cache. */
  private final class Instance {
    final CacheGroup group;
    final FreshCache<String, String> users;

    Instance(String namespace, String id) {
      RedisBus bus = RedisBus.builder(redis.uri(), namespace).keyPrefix(PREFIX).build();
      RedisSharedTier tier =
          RedisSharedTier.builder(redis.uri(), namespace).keyPrefix(PREFIX).build();
      group = CacheGroup.builder(namespace).bus(bus).shared(tier).instanceId(id).build();
      closing.add(0, tier);
      closing.add(0, bus);
      closing.add(0, group);
      users =
          group
              .cache("users", String.class, String.class)
              .keyPrefix("user:")
              .expiry(io.freshcache.Expiry.ttl(Duration.ofHours(1)))
              .source(key -> namespace + " user " + key)
              .tags((k, v) -> Tags.of("org:" + k))
              .build();
    }

    boolean holds(String key) {
      return users.analytics().key(key).isPresent();
    }

    void warm() {
      for (int i = 1; i <= 6; i++) {
        users.get(String.valueOf(i));
      }
    }
  }

  @BeforeEach
  void startTwoGroups() throws IOException {
    redis = new PrivateRedis();
    adminClient = RedisClient.create(redis.uri());
    admin = adminClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    a1 = new Instance(A, "a1");
    a2 = new Instance(A, "a2");
    b1 = new Instance(B, "b1");
    a1.warm();
    a2.warm();
    b1.warm();
    // A load returns before its value is in the tier (the fill goes out after it): the tests
    // compare the tier against its state here, so wait until every warmed entry is in it.
    awaitWarmTier(A);
    awaitWarmTier(B);
  }

  private void awaitWarmTier(String namespace) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Map<String, String> tier = dump(namespace);
              for (int i = 1; i <= 6; i++) {
                if (!tier.containsKey(PREFIX + ":{" + namespace + "}:e:users/user:" + i)) {
                  return false;
                }
              }
              return true;
            });
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    admin.close();
    adminClient.shutdown();
    redis.close();
  }

  @Test
  void nothingDoneInOneNamespaceChangesTheOther() {
    Map<String, String> before = dump(B);
    assertThat(before).containsKey(PREFIX + ":{" + B + "}:e:users/user:1");

    a1.group.invalidateKeys("user:1");
    a1.group.invalidateTag("org:2");
    a1.group.invalidatePattern("user:3*");
    a1.users.put("4", "written in a");
    a1.group.invalidateCascade("user:5");
    a1.group.publish(
        "user.updated",
        new Invalidation.Update(
            null,
            List.of("user:6"),
            Map.<String, Object>of("user:6", "updated in a"),
            OptionalLong.empty()),
        Map.of());
    a1.group.invalidateAll();
    long sent = a1.group.stats().published();
    assertThat(sent).isEqualTo(7);

    // A's other instance applied all of them, so they were on the channel B listens to.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> a2.group.stats().applied() == sent && b1.group.stats().foreign() == sent);
    for (int i = 1; i <= 6; i++) {
      assertThat(a2.holds(String.valueOf(i))).isFalse();
      assertThat(b1.holds(String.valueOf(i))).as("b holds user:" + i).isTrue();
      assertThat(b1.users.get(String.valueOf(i))).isEqualTo(B + " user " + i);
    }
    assertThat(b1.group.stats().received()).isZero();
    assertThat(b1.group.stats().applied()).isZero();
    assertThat(dump(B)).isEqualTo(before);
  }

  @Test
  void aPlainEventCarryingANamespaceReachesOnlyThatNamespace() throws Exception {
    Map<String, String> before = dump(B);
    // B's key names, A's namespace: the field decides, not the keys.
    redisCliPublish(
        "{\"type\":\"user.updated\",\"timestamp\":1.5,\"namespace\":\""
            + A
            + "\",\"payload\":{\"type\":\"delete\",\"keys\":[\"user:1\",\"user:2\"]}}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !a1.holds("1") && !a2.holds("1") && b1.group.stats().foreign() == 1);
    assertThat(b1.holds("1")).isTrue();
    assertThat(b1.holds("2")).isTrue();
    assertThat(dump(B)).isEqualTo(before);
    // A's instances applied it to A's tier too (a plain publisher did not).
    assertThat(dump(A)).doesNotContainKey(PREFIX + ":{" + A + "}:e:users/user:1");
  }

  @Test
  void aPlainEventWithoutANamespaceReachesEveryNamespaceByDesign() throws Exception {
    assertThat(dump(B)).containsKey(PREFIX + ":{" + B + "}:e:users/user:1");
    redisCliPublish(
        "{\"type\":\"user.updated\",\"timestamp\":1.5,"
            + "\"payload\":{\"type\":\"delete\",\"keys\":[\"user:1\"]}}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !a1.holds("1") && !a2.holds("1") && !b1.holds("1"));
    assertThat(b1.holds("2")).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(dump(A)).doesNotContainKey(PREFIX + ":{" + A + "}:e:users/user:1");
              assertThat(dump(B)).doesNotContainKey(PREFIX + ":{" + B + "}:e:users/user:1");
            });
    assertThat(dump(B)).containsKey(PREFIX + ":{" + B + "}:e:users/user:2");
  }

  /** A publisher that knows nothing of freshcache: {@code redis-cli PUBLISH}. */
  private void redisCliPublish(String message) throws IOException, InterruptedException {
    Process cli =
        new ProcessBuilder(
                "redis-cli",
                "-p",
                Integer.toString(redis.port),
                "PUBLISH",
                RedisBus.CHANNEL_PREFIX + "user.updated",
                message)
            .redirectErrorStream(true)
            .start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(cli.waitFor()).isZero();
    assertThat(Long.parseLong(out)).as("subscribers that heard it").isEqualTo(3);
  }

  /**
   * Every lasting key of the namespace (its log, entries, tags, set), with its value as DUMP writes
   * it. Leases are left out: they come and go with the namespace's own loads (a fill deletes its
   * lease), so one seen by SCAN may be gone by the DUMP that follows.
   */
  private Map<String, String> dump(String namespace) {
    Map<String, String> keys = new TreeMap<>();
    String prefix = PREFIX + ":{" + namespace + "}:";
    ScanIterator.scan(admin.sync(), ScanArgs.Builder.matches(prefix + "*"))
        .forEachRemaining(
            key -> {
              if (key.startsWith(prefix + "l:")) {
                return;
              }
              byte[] value = admin.sync().dump(key);
              keys.put(key, value == null ? "(gone)" : Base64.getEncoder().encodeToString(value));
            });
    return keys;
  }
}
