package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import io.freshcache.event.Invalidation;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each role of {@code docs/redis-acl.md}, on a private Redis, under exactly its documented rule:
 * every permission of the application rule is needed, a namespace's user cannot reach another
 * namespace, the watch user only listens, and the invalidate user can do what {@code freshcache
 * invalidate} does.
 */
class RedisAclRolesIT {

  private static final String PREFIX = "fctest";
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** Every kind of invalidation {@code freshcache invalidate} sends. */
  private static final List<Invalidation> KINDS =
      List.of(
          Invalidation.keys("user:1"),
          Invalidation.tags("org:1"),
          Invalidation.pattern("user:1*"),
          Invalidation.cascade("user:1"),
          Invalidation.all());

  private static PrivateRedis redis;
  private static RedisClient adminClient;
  private static StatefulRedisConnection<String, String> admin;

  @BeforeAll
  static void startRedis() throws IOException {
    redis = new PrivateRedis();
    adminClient = RedisClient.create(redis.uri());
    admin = adminClient.connect();
  }

  @AfterAll
  static void stopRedis() throws InterruptedException {
    admin.close();
    adminClient.shutdown();
    redis.close();
  }

  @BeforeEach
  void forgetRefusals() {
    admin.sync().aclLogReset();
  }

  private static String namespace(String what) {
    return what + "-" + NAMES.incrementAndGet();
  }

  /** A user with the role's documented rule for {@code namespace}; returns its URI. */
  private static String user(AclRules.Role role, String namespace) {
    String user = role.name().toLowerCase() + "-" + namespace;
    AclRules.setUser(admin, user, AclRules.rules(role, PREFIX, namespace));
    return AclRules.uri(redis, user);
  }

  // ---------------------------------------------------------------- application

  /**
   * Removes each command and channel of the application rule in turn and runs every call of the bus
   * and the tier: Redis must refuse something each time, else the permission is not needed. Not
   * removed: {@code +xrange} (only a gap check after a reconnection with unread entries sends it),
   * {@code +eval} (only that gap check and a publish after Redis forgot the scripts send it: {@code
   * BusPublishScriptIT}) and {@code +ping} (only a RESP2 subscription sends it).
   */
  @Test
  void everyPermissionOfTheApplicationRuleIsNeeded() {
    assertEveryPermissionIsNeeded(AclRules.Role.APPLICATION, RedisAclRolesIT::everyCall);
  }

  /** The same for the invalidate rule, with what {@code freshcache invalidate} does. */
  @Test
  void everyPermissionOfTheInvalidateRuleIsNeeded() {
    assertEveryPermissionIsNeeded(
        AclRules.Role.INVALIDATE,
        (uri, namespace) -> {
          // Something to delete, in a cache the namespace's set names, as an instance leaves it.
          admin.sync().sadd(PREFIX + ":{" + namespace + "}:caches", "users");
          admin.sync().hset(PREFIX + ":{" + namespace + "}:e:users/user:1", "v", "x");
          attempt(
              () -> {
                invalidateAsTheCommandDoes(uri, namespace, KINDS, Duration.ofSeconds(1));
                return null;
              });
        });
  }

  /** The same for the watch rule, with what {@code freshcache watch} does. */
  @Test
  void everyPermissionOfTheWatchRuleIsNeeded() {
    assertEveryPermissionIsNeeded(
        AclRules.Role.WATCH,
        (uri, namespace) -> {
          RedisClient client = RedisClient.create(uri);
          try (StatefulRedisPubSubConnection<String, String> watching = client.connectPubSub()) {
            watching.sync().psubscribe(RedisBus.CHANNEL_PREFIX + "*");
          } catch (RuntimeException refused) {
            // the ACL LOG says why
          } finally {
            client.shutdown();
          }
        });
  }

  /**
   * The same for the stats rule, with the reads {@code freshcache stats} makes: Redis's clock, the
   * log's newest entry, a window read backwards, and (with {@code --watch}) what came since.
   */
  @Test
  void everyPermissionOfTheStatsRuleIsNeeded() {
    assertEveryPermissionIsNeeded(
        AclRules.Role.STATS,
        (uri, namespace) -> {
          String log = PREFIX + ":{" + namespace + "}:log";
          admin.sync().xadd(log, Map.of("m", "{}"));
          RedisClient client = RedisClient.create(uri);
          try (StatefulRedisConnection<String, String> reading = client.connect()) {
            attempt(() -> reading.sync().time());
            attempt(() -> reading.sync().xrevrange(log, Range.create("-", "+"), Limit.from(1)));
            attempt(() -> reading.sync().xrange(log, Range.create("0-1", "+"), Limit.from(1000)));
          } catch (RuntimeException refused) {
            // the ACL LOG says why
          } finally {
            client.shutdown();
          }
        });
  }

  private static void assertEveryPermissionIsNeeded(
      AclRules.Role role, BiConsumer<String, String> everyCall) {
    String namespace = namespace("needed-" + role.name().toLowerCase());
    List<String> rules = AclRules.rules(role, PREFIX, namespace);
    String user = "needed-" + namespace;
    AclRules.setUser(admin, user, rules);
    everyCall.accept(AclRules.uri(redis, user), namespace);
    assertThat(AclRules.refusals(admin)).as("refused under the full rule").isEmpty();

    List<String> notNeeded = new ArrayList<>();
    for (String rule : rules) {
      if (!(rule.startsWith("+") || rule.startsWith("&"))
          || rule.equals("+xrange")
          || rule.equals("+eval")
          || rule.equals("+ping")) {
        continue;
      }
      admin.sync().aclLogReset();
      AclRules.setUser(admin, user, AclRules.without(rules, rule));
      everyCall.accept(AclRules.uri(redis, user), namespace);
      if (AclRules.refusals(admin).isEmpty()) {
        notNeeded.add(rule);
      }
    }
    assertThat(notNeeded).as("rules whose removal Redis did not notice").isEmpty();
  }

  /**
   * Every call a bus and a tier make, each allowed to fail; Redis's ACL LOG tells what it refused.
   */
  private static void everyCall(String uri, String namespace) {
    try (RedisBus bus =
        RedisBus.builder(uri, namespace)
            .keyPrefix(PREFIX)
            .commandTimeout(Duration.ofSeconds(1))
            .build()) {
      CountDownLatch heard = new CountDownLatch(1);
      bus.subscribe(message -> heard.countDown());
      attempt(
          () ->
              bus.publish("user.updated", "{\"type\":\"user.updated\"}").get(2, TimeUnit.SECONDS));
      attempt(() -> heard.await(2, TimeUnit.SECONDS));
      await().atMost(Duration.ofSeconds(2)).until(() -> bus.heartbeats() > 0);
    } catch (RuntimeException refused) {
      // a refused bus fails to build, or its heartbeats never return: the ACL LOG says why
    }
    try (RedisSharedTier tier =
        RedisSharedTier.builder(uri, namespace)
            .keyPrefix(PREFIX)
            .commandTimeout(Duration.ofSeconds(1))
            .build()) {
      SharedEntry entry = new SharedEntry(new byte[] {1}, 1, Duration.ofMinutes(1), List.of("t"));
      attempt(
          () -> {
            SharedLookup first =
                tier.lookup("c", "k", Duration.ofSeconds(5)).get(2, TimeUnit.SECONDS);
            return tier.fill("c", "k", entry, first.lease()).get(2, TimeUnit.SECONDS);
          });
      attempt(() -> tier.lookup("c", "k", Duration.ofSeconds(5)).get(2, TimeUnit.SECONDS));
      attempt(
          () -> {
            SharedLookup other =
                tier.lookup("c", "j", Duration.ofSeconds(5)).get(2, TimeUnit.SECONDS);
            return tier.release("c", "j", other.lease()).get(2, TimeUnit.SECONDS);
          });
      attempt(() -> tier.put("c", "p", entry).get(2, TimeUnit.SECONDS));
      attempt(() -> tier.invalidate("c", List.of("k")).get(2, TimeUnit.SECONDS));
      attempt(() -> tier.invalidateInEveryCache(List.of("p")).get(2, TimeUnit.SECONDS));
      attempt(() -> tier.invalidateTags(List.of("t")).get(2, TimeUnit.SECONDS));
      attempt(() -> tier.invalidatePattern("c", "k*").get(2, TimeUnit.SECONDS));
      attempt(() -> tier.invalidatePatternInEveryCache("k*").get(2, TimeUnit.SECONDS));
      attempt(() -> tier.invalidateAll("c").get(2, TimeUnit.SECONDS));
      attempt(() -> tier.invalidateEveryCache().get(2, TimeUnit.SECONDS));
    } catch (RuntimeException refused) {
      // the ACL LOG says why
    }
  }

  private static void attempt(Callable<?> call) {
    try {
      call.call();
    } catch (Exception | AssertionError refused) {
      // the ACL LOG says why
    }
  }

  // ---------------------------------------------------------------- namespaces

  @Test
  void aUserOfOneNamespaceCannotReachAnothersKeys() throws Exception {
    String a = namespace("a");
    String b = namespace("b");
    String userA = user(AclRules.Role.APPLICATION, a);
    String userB = user(AclRules.Role.APPLICATION, b);
    try (RedisSharedTier tierB = RedisSharedTier.builder(userB, b).keyPrefix(PREFIX).build()) {
      tierB
          .put("c", "k", new SharedEntry(new byte[] {7}, 1, Duration.ofMinutes(5), List.of("t")))
          .get(2, TimeUnit.SECONDS);
    }
    Map<String, String> before = dump(b);
    assertThat(before).isNotEmpty();

    // B's tier and bus, with A's credentials.
    try (RedisSharedTier intruder = RedisSharedTier.builder(userA, b).keyPrefix(PREFIX).build()) {
      SharedEntry entry = new SharedEntry(new byte[] {9}, 2, Duration.ofMinutes(5), List.of());
      List<Callable<?>> calls =
          List.of(
              () -> intruder.lookup("c", "k", Duration.ofSeconds(5)).get(2, TimeUnit.SECONDS),
              () -> intruder.put("c", "k", entry).get(2, TimeUnit.SECONDS),
              () -> intruder.invalidate("c", List.of("k")).get(2, TimeUnit.SECONDS),
              () -> intruder.invalidateInEveryCache(List.of("k")).get(2, TimeUnit.SECONDS),
              () -> intruder.invalidateTags(List.of("t")).get(2, TimeUnit.SECONDS),
              () -> intruder.invalidatePattern("c", "k*").get(2, TimeUnit.SECONDS),
              () -> intruder.invalidateAll("c").get(2, TimeUnit.SECONDS),
              () -> intruder.invalidateEveryCache().get(2, TimeUnit.SECONDS));
      for (Callable<?> call : calls) {
        assertThatThrownBy(call::call).hasStackTraceContaining("NOPERM");
      }

      // A group of B on that tier counts the failures and reads go to the source.
      AtomicInteger loads = new AtomicInteger();
      try (CacheGroup group = CacheGroup.builder(b).shared(intruder).build()) {
        FreshCache<String, String> cache =
            group
                .cache("c", String.class, String.class)
                .source(
                    key -> {
                      loads.incrementAndGet();
                      return "from the source";
                    })
                .build();
        assertThat(cache.get("k")).isEqualTo("from the source");
        assertThat(loads).hasValue(1);
        assertThat(group.stats().sharedFailures()).isPositive();
      }
    }
    assertThatThrownBy(() -> RedisBus.builder(userA, b).keyPrefix(PREFIX).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NOPERM");

    // SCAN is not filtered by ACL: A's user sees B's key names, and can do nothing with them.
    RedisClient clientA = RedisClient.create(userA);
    try (StatefulRedisConnection<String, String> asA = clientA.connect()) {
      List<String> seen = new ArrayList<>();
      ScanIterator.scan(asA.sync(), ScanArgs.Builder.matches(PREFIX + ":{" + b + "}:*"))
          .forEachRemaining(seen::add);
      assertThat(seen).containsExactlyInAnyOrderElementsOf(before.keySet());
      assertThatThrownBy(() -> asA.sync().unlink(seen.get(0))).hasMessageStartingWith("NOPERM");
    } finally {
      clientA.shutdown();
    }
    assertThat(dump(b)).isEqualTo(before);
  }

  /** Every key of the namespace that still exists, with its value as DUMP writes it. */
  private static Map<String, String> dump(String namespace) {
    Map<String, String> keys = new TreeMap<>();
    try (StatefulRedisConnection<String, byte[]> raw =
        adminClient.connect(
            io.lettuce.core.codec.RedisCodec.of(
                io.lettuce.core.codec.StringCodec.UTF8,
                io.lettuce.core.codec.ByteArrayCodec.INSTANCE))) {
      ScanIterator.scan(raw.sync(), ScanArgs.Builder.matches(PREFIX + ":{" + namespace + "}:*"))
          .forEachRemaining(
              key -> {
                byte[] value = raw.sync().dump(key);
                if (value != null) { // gone between SCAN and DUMP: a closing bus's own key
                  keys.put(key, Base64.getEncoder().encodeToString(value));
                }
              });
    }
    return keys;
  }

  // ---------------------------------------------------------------- watch

  @Test
  void theWatchUserHearsEveryEventAndCannotPublishOrTouchKeys() throws Exception {
    String namespace = namespace("watched");
    String app = user(AclRules.Role.APPLICATION, namespace);
    String watch = user(AclRules.Role.WATCH, namespace);
    RedisClient client = RedisClient.create(watch);
    try (RedisBus bus = RedisBus.builder(app, namespace).keyPrefix(PREFIX).build();
        CacheGroup group = CacheGroup.builder(namespace).bus(bus).build();
        StatefulRedisPubSubConnection<String, String> watching = client.connectPubSub();
        StatefulRedisConnection<String, String> plain = client.connect()) {
      // What freshcache watch does: one PSUBSCRIBE, then listen.
      BlockingQueue<String> heard = new LinkedBlockingQueue<>();
      watching.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
              heard.add(channel + " " + message);
            }
          });
      watching.sync().psubscribe(RedisBus.CHANNEL_PREFIX + "*");
      group.invalidateKeys("user:1");
      String line = heard.poll(5, TimeUnit.SECONDS);
      assertThat(line).startsWith("cache:invalidation:").contains("user:1");

      assertThatThrownBy(
              () ->
                  plain
                      .sync()
                      .publish(
                          "cache:invalidation:user.updated",
                          "{\"type\":\"user.updated\",\"payload\":{\"type\":\"all\"}}"))
          .hasMessageStartingWith("NOPERM");
      assertThatThrownBy(() -> plain.sync().get(bus.streamKey())).hasMessageStartingWith("NOPERM");
      assertThatThrownBy(() -> plain.sync().xinfoStream(bus.streamKey()))
          .hasMessageStartingWith("NOPERM");
      assertThatThrownBy(() -> watching.sync().subscribe(PREFIX + ":{" + namespace + "}:hb:x"))
          .hasMessageStartingWith("NOPERM");
      assertThatThrownBy(() -> watching.sync().psubscribe("*")).hasMessageStartingWith("NOPERM");
    } finally {
      client.shutdown();
    }
    // Nor can it join a group: a bus needs to write.
    assertThatThrownBy(() -> RedisBus.builder(watch, namespace).keyPrefix(PREFIX).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NOPERM");
  }

  // ---------------------------------------------------------------- invalidate

  /**
   * What {@code freshcache invalidate} does, call for call (a bus and a tier of the group, a group
   * with the command's instance id, a publish, and waiting for the event to come back), for each
   * kind of invalidation: it reaches an instance and the tier, and Redis refuses nothing.
   */
  @Test
  void theInvalidateUserCanDoWhatFreshcacheInvalidateDoes() throws Exception {
    String namespace = namespace("invalidated");
    String app = user(AclRules.Role.APPLICATION, namespace);
    String cli = user(AclRules.Role.INVALIDATE, namespace);
    try (RedisBus appBus = RedisBus.builder(app, namespace).keyPrefix(PREFIX).build();
        RedisSharedTier appTier =
            RedisSharedTier.builder(app, namespace).keyPrefix(PREFIX).build();
        CacheGroup instance =
            CacheGroup.builder(namespace).bus(appBus).shared(appTier).instanceId("app").build()) {
      FreshCache<String, String> users =
          instance
              .cache("users", String.class, String.class)
              .keyPrefix("user:")
              .source(id -> "user " + id)
              .tags((k, v) -> Tags.of("org:" + k))
              .build();
      for (Invalidation invalidation : KINDS) {
        users.get("1");
        assertThat(users.analytics().key("1")).isPresent();
        assertThat(dump(namespace).keySet()).anyMatch(k -> k.contains(":e:users/"));
        invalidateAsTheCommandDoes(cli, namespace, List.of(invalidation), Duration.ofSeconds(5));
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(users.analytics().key("1")).isEmpty());
        if (invalidation instanceof Invalidation.Tags) {
          // the tag's generation moved; the entry, stale, is dropped when next looked up
          assertThat(dump(namespace)).containsKey(PREFIX + ":{" + namespace + "}:t:org:1");
        } else {
          assertThat(dump(namespace).keySet()).noneMatch(k -> k.contains(":e:users/"));
        }
      }
      assertThat(instance.stats().sharedFailures()).isZero();
    }
    assertThat(AclRules.refusals(admin)).isEmpty();
  }

  private static void invalidateAsTheCommandDoes(
      String uri, String namespace, List<Invalidation> invalidations, Duration confirmation)
      throws InterruptedException {
    String source = "cli-" + NAMES.incrementAndGet();
    try (RedisBus bus =
            RedisBus.builder(uri, namespace)
                .keyPrefix(PREFIX)
                .clientName(source)
                .failFast(true)
                .build();
        RedisSharedTier tier = RedisSharedTier.builder(uri, namespace).keyPrefix(PREFIX).build()) {
      CountDownLatch back = new CountDownLatch(invalidations.size());
      try (InvalidationBus.Subscription listening =
              bus.subscribe(
                  message -> {
                    if (message.contains("\"" + source + "\"")) {
                      back.countDown();
                    }
                  });
          CacheGroup group =
              CacheGroup.builder(namespace).instanceId(source).bus(bus).shared(tier).build()) {
        for (Invalidation invalidation : invalidations) {
          group.publish(CacheGroup.INVALIDATE_EVENT, invalidation, Map.of());
        }
        assertThat(back.await(confirmation.toMillis(), TimeUnit.MILLISECONDS))
            .as("the events came back")
            .isTrue();
        assertThat(group.stats().sharedFailures()).isZero();
      }
    }
  }
}
