package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the Redis shared tier does beyond the SPI's contract (which {@link
 * RedisSharedTierContractIT} and {@link RedisClusterSharedTierContractIT} check with the kit): its
 * key layout, its scripts and their round trips, lease expiry on the server, failures of Redis, its
 * builder. Tests that count commands (INFO commandstats) or flush scripts run on a {@link
 * PrivateRedis}, so that other users of the shared server cannot disturb the counts; the others use
 * the shared server, each in its own namespace.
 */
class RedisSharedTierIT {

  private static final AtomicLong NAMESPACES = new AtomicLong();
  private static final Duration HOLD = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofMinutes(5);

  private final String namespace = "tier-" + NAMESPACES.incrementAndGet() + "-" + System.nanoTime();
  private final SharedKeys keys = new SharedKeys("fctest", namespace);
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    RedisTestSupport.deleteMatching("fctest:{" + namespace + "}:*");
  }

  private RedisSharedTier tier(String uri) {
    RedisSharedTier tier =
        RedisSharedTier.builder(uri, namespace)
            .keyPrefix("fctest")
            .commandTimeout(Duration.ofSeconds(2))
            .build();
    closing.add(0, tier);
    return tier;
  }

  private RedisCommands<String, String> admin(String uri) {
    RedisClient client = RedisTestSupport.plainClient(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    closing.add(client::shutdown);
    closing.add(0, connection);
    return connection.sync();
  }

  private PrivateRedis privateRedis() throws Exception {
    PrivateRedis redis = new PrivateRedis();
    closing.add(redis);
    return redis;
  }

  private static SharedEntry entry(String value, long version, String... tags) {
    return new SharedEntry(value.getBytes(StandardCharsets.UTF_8), version, TTL, List.of(tags));
  }

  private static String text(SharedLookup found) {
    return new String(found.entry().value(), StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ leases and fills

  @Test
  void releaseDropsTheLeaseKeyAndNeverTheEntryBesideIt() {
    RedisSharedTier tier = tier(RedisTestSupport.URI);
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    SharedLookup miss = tier.lookup("users", "user:1", HOLD).join();
    // An entry beside a live lease: through the API a put voids the lease, so stand for the
    // moment between by copying an entry in.
    tier.put("users", "user:0", entry("newer", 2)).join();
    admin.copy(keys.entry("users", "user:0"), keys.entry("users", "user:1"));

    assertThat(tier.release("users", "user:1", miss.lease() + "x").join()).isFalse();
    assertThat(admin.get(keys.lease("users", "user:1"))).isEqualTo(miss.lease());
    assertThat(admin.hget(keys.entry("users", "user:1"), "v")).isEqualTo("newer");

    assertThat(tier.release("users", "user:1", miss.lease()).join()).isTrue();
    assertThat(admin.exists(keys.lease("users", "user:1"))).isZero();
    assertThat(admin.hget(keys.entry("users", "user:1"), "v")).isEqualTo("newer");
    assertThat(text(tier.lookup("users", "user:1", HOLD).join())).isEqualTo("newer");
  }

  @Test
  void aFillChecksTheVersionStoredBesideItsLease() {
    RedisSharedTier tier = tier(RedisTestSupport.URI);
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    assertThat(tier.put("users", "user:1", entry("v5", 5)).join()).isTrue();

    // Through the API a stored entry always voids the lease first, so stand for a writer that did
    // not by copying the v5 entry under a leased key.
    SharedLookup miss = tier.lookup("users", "user:2", HOLD).join();
    admin.copy(keys.entry("users", "user:1"), keys.entry("users", "user:2"));
    assertThat(tier.fill("users", "user:2", entry("v4", 4), miss.lease()).join()).isFalse();
    assertThat(text(tier.lookup("users", "user:2", HOLD).join())).isEqualTo("v5");
  }

  @Test
  void aCrashedLeaseholderBlocksOthersOnlyUntilItsLeaseExpires() {
    RedisSharedTier tier = tier(RedisTestSupport.URI);
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    SharedLookup crashed = tier.lookup("users", "user:1", HOLD).join();
    assertThat(tier.lookup("users", "user:1", HOLD).join().loadingElsewhere()).isTrue();

    admin.pexpire(keys.lease("users", "user:1"), 1); // the hold time runs out

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> tier.lookup("users", "user:1", HOLD).join().lease() != null);
    assertThat(tier.fill("users", "user:1", entry("late", 1), crashed.lease()).join()).isFalse();
  }

  // ------------------------------------------------------------------ tags

  @Test
  void aTagInvalidationDropsItsEntriesWithOneCommandPerTag() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier tier = tier(redis.uri());
    RedisCommands<String, String> admin = admin(redis.uri());
    List<CompletableFuture<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      puts.add(tier.put("docs", "t1:" + i, entry("a", 1, "t1")));
      puts.add(tier.put("docs", "both:" + i, entry("b", 1, "t1", "t2")));
      puts.add(tier.put("docs", "t2:" + i, entry("c", 1, "t2")));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    long keysBefore = admin.dbsize();

    Map<String, Long> before = RedisTestSupport.commandCalls(admin);
    tier.invalidateTags(List.of("t1")).join();
    Map<String, Long> after = RedisTestSupport.commandCalls(admin);

    // O(1) in the 2,000 tagged entries: one script, one INCR, one SET; no entry touched
    assertThat(RedisTestSupport.delta(before, after, "evalsha")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(before, after, "incr")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(before, after, "set")).isEqualTo(1);
    assertThat(
            RedisTestSupport.delta(before, after, "del")
                + RedisTestSupport.delta(before, after, "unlink"))
        .isZero();
    assertThat(admin.dbsize()).isEqualTo(keysBefore + 2); // the generation and the tag

    for (int i = 0; i < 1000; i += 97) {
      assertThat(tier.lookup("docs", "t1:" + i, HOLD).join().isHit()).isFalse();
      assertThat(tier.lookup("docs", "both:" + i, HOLD).join().isHit()).isFalse();
      assertThat(tier.lookup("docs", "t2:" + i, HOLD).join().isHit()).isTrue();
    }

    before = RedisTestSupport.commandCalls(admin);
    tier.invalidateTags(List.of("t1", "t2", "t3", "t2")).join();
    after = RedisTestSupport.commandCalls(admin);
    assertThat(RedisTestSupport.delta(before, after, "set")).isEqualTo(3);
    assertThat(tier.lookup("docs", "t2:0", HOLD).join().isHit()).isFalse();
  }

  // ------------------------------------------------------------------ patterns

  @Test
  void aPatternDeletesExactlyWhatItMatchesWithoutKeys() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier tier = tier(redis.uri());
    RedisCommands<String, String> admin = admin(redis.uri());
    List<CompletableFuture<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      puts.add(tier.put("users", "user:" + i, entry("u", 1)));
    }
    for (int i = 0; i < 1500; i++) {
      puts.add(tier.put("users", "admin:" + i, entry("a", 1)));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    tier.put("orders", "user:1", entry("o", 1)).join(); // same key, other cache
    SharedLookup leased = tier.lookup("users", "user:5000", HOLD).join();
    Map<String, Long> before = RedisTestSupport.commandCalls(admin);

    assertThatThrownBy(() -> tier.invalidatePattern("users", "*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matches every key");
    assertThatThrownBy(() -> tier.invalidatePattern("users", "?*?"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(admin.dbsize()).isEqualTo(2503); // entries, a lease and the set of caches

    assertThat(tier.invalidatePattern("users", "user:*").join()).isEqualTo(1000);

    Map<String, Long> after = RedisTestSupport.commandCalls(admin);
    assertThat(RedisTestSupport.delta(before, after, "keys")).isZero();
    assertThat(RedisTestSupport.delta(before, after, "scan")).isPositive();
    assertThat(admin.dbsize()).isEqualTo(1502);
    for (int i = 0; i < 1000; i += 37) {
      assertThat(tier.lookup("users", "user:" + i, HOLD).join().isHit()).isFalse();
    }
    for (int i = 0; i < 1500; i += 37) {
      assertThat(tier.lookup("users", "admin:" + i, HOLD).join().isHit()).isTrue();
    }
    assertThat(tier.lookup("orders", "user:1", HOLD).join().isHit()).isTrue();
    assertThat(tier.fill("users", "user:5000", entry("late", 1), leased.lease()).join()).isFalse();
  }

  // ------------------------------------------------------------------ every cache of a namespace

  @Test
  void eachTierNamesItsCachesInTheNamespacesSetOnceBeforeTheirFirstUse() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier one = tier(redis.uri());
    RedisSharedTier two = tier(redis.uri());
    RedisCommands<String, String> admin = admin(redis.uri());
    Map<String, Long> before = RedisTestSupport.commandCalls(admin);

    for (int i = 0; i < 50; i++) {
      one.lookup("users", "user:" + i, HOLD).join();
      one.put("users", "user:" + i, entry("u", 1)).join();
    }
    two.put("orders", "order:1", entry("o", 1)).join();
    two.lookup("users", "user:1", HOLD).join();

    assertThat(RedisTestSupport.delta(before, RedisTestSupport.commandCalls(admin), "sadd"))
        .isEqualTo(3);
    assertThat(admin.smembers(keys.caches())).containsExactlyInAnyOrder("users", "orders");
    assertThat(admin.ttl(keys.caches())).isEqualTo(-1); // kept, like the tags
  }

  @Test
  void keysNamingNoCacheAreInvalidatedInTheCachesOfEveryTierInOneScript() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier users = tier(redis.uri());
    RedisSharedTier orders = tier(redis.uri());
    RedisSharedTier elsewhere = tier(redis.uri()); // an instance that uses neither cache
    RedisCommands<String, String> admin = admin(redis.uri());
    users.put("users", "user:1", entry("u1", 1)).join();
    users.put("users", "user:2", entry("u2", 1)).join();
    orders.put("orders", "user:1", entry("o1", 1)).join(); // same key, other cache
    orders.put("orders", "order:1", entry("o", 1)).join();
    SharedLookup leased = orders.lookup("orders", "order:9", HOLD).join();
    Map<String, Long> before = RedisTestSupport.commandCalls(admin);

    elsewhere.invalidateInEveryCache(List.of("user:1", "order:9")).join();

    Map<String, Long> after = RedisTestSupport.commandCalls(admin);
    assertThat(RedisTestSupport.delta(before, after, "evalsha")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(before, after, "smembers")).isEqualTo(1);
    assertThat(admin.exists(keys.entry("users", "user:1"), keys.entry("orders", "user:1")))
        .isZero();
    assertThat(admin.exists(keys.entry("users", "user:2"), keys.entry("orders", "order:1")))
        .isEqualTo(2);
    assertThat(orders.fill("orders", "order:9", entry("late", 1), leased.lease()).join()).isFalse();
    assertThat(admin.smembers(keys.caches())).containsExactlyInAnyOrder("users", "orders");
  }

  @Test
  void everythingNamingNoCacheKeepsTheTagsTheirGenerationAndTheSetOfCaches() {
    RedisSharedTier one = tier(RedisTestSupport.URI);
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    one.put("users", "user:1", entry("u", 1, "t1")).join();
    one.invalidateTags(List.of("t2")).join();

    one.invalidateEveryCache().join();

    assertThat(admin.exists(keys.entry("users", "user:1"))).isZero();
    assertThat(admin.exists(keys.tag("t2"), keys.generation(), keys.caches())).isEqualTo(3);
  }

  // ------------------------------------------------------------------ round trips and failures

  @Test
  void aHitIsOneRoundTripAndRunsNoScript() throws Exception {
    PrivateRedis redis = privateRedis();
    TcpProxy proxy = new TcpProxy(redis.port);
    closing.add(proxy);
    RedisSharedTier tier = tier(proxy.uri());
    RedisCommands<String, String> admin = admin(redis.uri());
    tier.put("users", "user:1", entry("u1", 7)).join();

    Map<String, Long> before = RedisTestSupport.commandCalls(admin);
    proxy.recordSent();
    proxy.holdReplies();
    CompletableFuture<SharedLookup> found = tier.lookup("users", "user:1", HOLD);
    // Both commands leave while no reply can have come back: neither waits for the other.
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.sent().contains("HMGET"));
    assertThat(proxy.sent()).contains("PTTL").doesNotContain("EVAL");
    assertThat(found).isNotDone();
    proxy.releaseReplies();

    SharedLookup hit = found.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(text(hit)).isEqualTo("u1");
    assertThat(hit.entry().version()).isEqualTo(7);
    assertThat(hit.entry().ttl()).isPositive().isLessThanOrEqualTo(TTL);
    Map<String, Long> after = RedisTestSupport.commandCalls(admin);
    assertThat(RedisTestSupport.delta(before, after, "hmget")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(before, after, "pttl")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(before, after, "evalsha")).isZero();
  }

  @Test
  void aCacheWhoseEntriesCarryTagsIsLookedUpByTheScriptFirst() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier tier = tier(redis.uri());
    RedisCommands<String, String> admin = admin(redis.uri());
    tier.put("docs", "d:1", entry("d1", 1, "t1")).join();
    tier.put("docs", "d:2", entry("d2", 1, "t1")).join();
    tier.put("users", "u:1", entry("u1", 1)).join();

    Map<String, Long> before = RedisTestSupport.commandCalls(admin);
    assertThat(text(tier.lookup("docs", "d:1", HOLD).join())).isEqualTo("d1"); // read, then script
    Map<String, Long> first = RedisTestSupport.commandCalls(admin);
    assertThat(text(tier.lookup("docs", "d:2", HOLD).join())).isEqualTo("d2"); // script only
    Map<String, Long> second = RedisTestSupport.commandCalls(admin);
    assertThat(text(tier.lookup("users", "u:1", HOLD).join())).isEqualTo("u1"); // another cache
    Map<String, Long> third = RedisTestSupport.commandCalls(admin);

    // commandstats counts the HMGET and PTTL the script runs inside Redis too
    assertThat(RedisTestSupport.delta(before, first, "evalsha")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(before, first, "hmget")).isEqualTo(2);
    assertThat(RedisTestSupport.delta(first, second, "evalsha")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(first, second, "hmget")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(second, third, "evalsha")).isZero();
    assertThat(RedisTestSupport.delta(second, third, "hmget")).isEqualTo(1);
  }

  @Test
  void aLookupIsOneRoundTrip() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier tier = tier(redis.uri());
    RedisCommands<String, String> admin = admin(redis.uri());
    for (int i = 0; i < 50; i++) {
      tier.put("users", "user:" + i, entry("u", 1, "t1")).join();
    }

    Map<String, Long> before = RedisTestSupport.commandCalls(admin);
    // 50 hits, then 50 misses that take a lease, in a cache whose entries carry tags: the first
    // lookup reads the entry plainly, finds tags and runs the script; every later one the script
    for (int i = 0; i < 100; i++) {
      tier.lookup("users", "user:" + i, HOLD).join();
    }
    Map<String, Long> after = RedisTestSupport.commandCalls(admin);

    assertThat(RedisTestSupport.delta(before, after, "evalsha")).isEqualTo(100);
    assertThat(RedisTestSupport.delta(before, after, "eval")).isZero();
    assertThat(RedisTestSupport.delta(before, after, "script|load")).isZero();
  }

  @Test
  void aLookupOfManyKeysIsOneScriptPerFiveHundredKeysSentTogether() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier tier = tier(redis.uri());
    RedisCommands<String, String> admin = admin(redis.uri());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 1_100; i++) {
      names.add("user:" + i);
    }
    tier.put("users", "user:3", entry("u", 1, "t1")).join();

    Map<String, Long> before = RedisTestSupport.commandCalls(admin);
    List<SharedLookup> found = tier.lookupAll("users", names.subList(0, 100), HOLD).join();
    Map<String, Long> after = RedisTestSupport.commandCalls(admin);
    assertThat(RedisTestSupport.delta(before, after, "evalsha")).isEqualTo(1);
    assertThat(found).hasSize(100);
    assertThat(found.get(3).isHit()).isTrue();
    assertThat(found.get(4).lease()).isNotNull();

    List<SharedLookup> more = tier.lookupAll("users", names.subList(100, 1_100), HOLD).join();
    Map<String, Long> later = RedisTestSupport.commandCalls(admin);
    assertThat(RedisTestSupport.delta(after, later, "evalsha")).isEqualTo(2);
    assertThat(more).hasSize(1_000).allSatisfy(miss -> assertThat(miss.lease()).isNotNull());
    assertThat(admin.exists(keys.lease("users", "user:1099"))).isEqualTo(1);
  }

  @Test
  void aLookupOfManyKeysWithABadOneThrowsAtOnceAndLeasesNothing() {
    RedisSharedTier tier = tier(RedisTestSupport.URI);
    assertThatThrownBy(() -> tier.lookupAll("users", Arrays.asList("user:1", null), HOLD))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.lookupAll("users", List.of("user:1", ""), HOLD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tier.lookupAll("users", List.of("user:1"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(tier.lookup("users", "user:1", HOLD).join().lease()).isNotNull(); // none was taken
  }

  @Test
  void scriptsForgottenByRedisAreSentAgain() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier tier = tier(redis.uri());
    RedisCommands<String, String> admin = admin(redis.uri());
    tier.put("users", "user:1", entry("u", 1)).join();

    admin.scriptFlush();

    // A hit needs no script (see aHitIsOneRoundTripAndRunsNoScript); a miss takes its lease in one.
    Map<String, Long> before = RedisTestSupport.commandCalls(admin);
    assertThat(tier.lookup("users", "user:1", HOLD).join().isHit()).isTrue();
    assertThat(tier.lookup("users", "user:2", HOLD).join().lease()).isNotNull();
    Map<String, Long> after = RedisTestSupport.commandCalls(admin);
    assertThat(RedisTestSupport.delta(before, after, "evalsha")).isEqualTo(1); // refused: NOSCRIPT
    assertThat(RedisTestSupport.delta(before, after, "eval"))
        .isEqualTo(1); // sent again, and so loaded again

    tier.lookup("users", "user:3", HOLD).join();
    Map<String, Long> later = RedisTestSupport.commandCalls(admin);
    assertThat(RedisTestSupport.delta(after, later, "evalsha")).isEqualTo(1);
    assertThat(RedisTestSupport.delta(after, later, "eval")).isZero();
  }

  @Test
  void anUnreachableRedisFailsTheBuildNamingWhereWhenAskedToFailFast() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String uri = "redis://127.0.0.1:" + port;

    assertThatThrownBy(() -> RedisSharedTier.builder(uri, namespace).failFast(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shared tier")
        .hasMessageContaining("127.0.0.1:" + port);
  }

  @Test
  void aKilledRedisFailsCallsInsteadOfHanging() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier tier = tier(redis.uri());
    tier.put("users", "user:1", entry("u", 1)).join();

    redis.kill();

    // the command timeout is 500 ms; 10 s only guards against a hang
    assertThat(tier.lookup("users", "user:1", HOLD)).failsWithin(Duration.ofSeconds(10));
    assertThat(tier.put("users", "user:1", entry("u", 2))).failsWithin(Duration.ofSeconds(10));
    assertThat(tier.invalidatePattern("users", "user:*")).failsWithin(Duration.ofSeconds(10));

    redis.start(); // same port, empty, and without the scripts
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> tier.put("users", "user:1", entry("back", 3)).join());
    assertThat(text(tier.lookup("users", "user:1", HOLD).join())).isEqualTo("back");
  }

  @Test
  void aStalledRedisTimesCallsOut() throws Exception {
    PrivateRedis redis = privateRedis();
    RedisSharedTier tier = tier(redis.uri());
    RedisClient client = RedisTestSupport.plainClient(redis.uri());
    closing.add(client::shutdown);
    StatefulRedisConnection<String, String> staller = client.connect();
    closing.add(0, staller);

    staller
        .async()
        .dispatch(
            CommandType.DEBUG,
            new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add("3"));

    // Redis answers nobody for 3 s; a lookup sent before the sleep began may still succeed, so
    // retry until one meets the stall. The command timeout is 500 ms; 10 s only guards a hang.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(tier.lookup("users", "user:1", HOLD))
                    .failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(RedisCommandTimeoutException.class));
  }

  @Test
  void settingsAreGivenOnceAndABadNamespaceIsRefused() {
    RedisSharedTierBuilder builder = RedisSharedTier.builder(RedisTestSupport.URI, namespace);
    builder.keyPrefix("fctest");
    assertThatThrownBy(() -> builder.keyPrefix("other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("keyPrefix was already set to fctest");
    assertThatThrownBy(() -> builder.commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisSharedTier.builder(RedisTestSupport.URI, "a{b}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace");

    closing.add(builder.build()); // bad arguments to the tier's calls: the kit's
  }
}
