package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.FreshCache;
import io.freshcache.Source;
import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cache's read path through the Redis shared tier: what a shared hit costs, single-flight
 * across instances, the stale-fill race across instances, and a Redis that is down. Each group
 * stands for one process, with its own connections.
 */
class SharedTierReadPathIT {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  private final String namespace =
      "read-" + NAMESPACES.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final Map<String, String> rows = new ConcurrentHashMap<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    RedisTestSupport.deleteMatching("fctest:{" + namespace + "}*");
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    closing.add(0, closeable);
    return closeable;
  }

  private RedisSharedTier tier(String uri) {
    return closeLater(
        RedisSharedTier.builder(uri, namespace)
            .keyPrefix("fctest")
            .commandTimeout(Duration.ofMillis(500))
            .build());
  }

  /** One instance: a group on its own tier connection, and on its own bus if {@code bus}. */
  private CacheGroup instance(String uri, boolean bus) {
    CacheGroupBuilder builder = CacheGroup.builder(namespace).shared(tier(uri));
    if (bus) {
      builder.bus(closeLater(RedisBus.builder(uri, namespace).keyPrefix("fctest").build()));
    }
    return closeLater(builder.build());
  }

  private FreshCache<String, String> rowsCache(CacheGroup group, AtomicInteger loads) {
    return group
        .cache("rows", String.class, String.class)
        .keyPrefix("row:")
        .source(
            key -> {
              loads.incrementAndGet();
              return rows.get(key);
            })
        .build();
  }

  private RedisCommands<String, String> admin(String uri) {
    RedisClient client = RedisTestSupport.plainClient(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    closing.add(client::shutdown);
    closing.add(0, connection);
    return connection.sync();
  }

  /**
   * An event lost on the channel (a publisher that knows only the plain JSON format never touches
   * the tier) must not live on in the tier: a reported loss clears the group's shared entries too.
   */
  @Test
  void aReportedLossClearsTheSharedTierAsWellAsLocalCaches() throws Exception {
    rows.put("1", "old");
    AtomicInteger loads = new AtomicInteger();
    RedisBus bus =
        closeLater(
            RedisBus.builder(RedisTestSupport.URI, namespace)
                .keyPrefix("fctest")
                .clientName("fctest-loss-" + namespace.hashCode())
                .build());
    CacheGroup group =
        closeLater(
            CacheGroup.builder(namespace).bus(bus).shared(tier(RedisTestSupport.URI)).build());
    FreshCache<String, String> cache = rowsCache(group, loads);
    assertThat(cache.get("1")).isEqualTo("old");
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    SharedKeys keys = new SharedKeys("fctest", namespace);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> admin.exists(keys.entry("rows", "row:1")) == 1);

    rows.put("1", "new"); // ...and its invalidation is published while the subscription is down
    assertThat(
            RedisTestSupport.kill(adminConnection(RedisTestSupport.URI), bus.clientName() + "-sub"))
        .isEqualTo(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> group.stats().losses() >= 1);
    assertThat(admin.exists(keys.entry("rows", "row:1"))).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> group.stats().live());
    assertThat(cache.get("1")).isEqualTo("new");
  }

  private StatefulRedisConnection<String, String> adminConnection(String uri) {
    RedisClient client = RedisTestSupport.plainClient(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    closing.add(client::shutdown);
    closing.add(0, connection);
    return connection;
  }

  /** Waits until rows 0 to n - 1 are stored in the tier (their fills are not awaited). */
  private void awaitShared(RedisCommands<String, String> admin, int n) {
    SharedKeys keys = new SharedKeys("fctest", namespace);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              long filled = 0;
              for (int i = 0; i < n; i++) {
                filled += admin.exists(keys.entry("rows", "row:" + i));
              }
              return filled == n;
            });
  }

  /** The calls of each command between two counts, but INFO's own. */
  private static Map<String, Long> commandsBetween(
      Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new HashMap<>();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long calls = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (calls != 0 && !e.getKey().equals("info")) {
        delta.put(e.getKey(), calls);
      }
    }
    return delta;
  }

  @Test
  void aLocalMissThatHitsTheTierCostsOneRoundTripAndNoSourceLoad() throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    int n = 100;
    for (int i = 0; i < n; i++) {
      rows.put(String.valueOf(i), "row" + i);
    }
    AtomicInteger loadsA = new AtomicInteger();
    FreshCache<String, String> a = rowsCache(instance(redis.uri(), false), loadsA);
    for (int i = 0; i < n; i++) {
      a.get(String.valueOf(i));
    }
    RedisCommands<String, String> admin = admin(redis.uri());
    awaitShared(admin, n);
    AtomicInteger loadsB = new AtomicInteger();
    CacheGroup groupB = instance(redis.uri(), false);
    FreshCache<String, String> b = rowsCache(groupB, loadsB);

    Map<String, Long> before = RedisTestSupport.commandCalls(admin);
    for (int i = 0; i < n; i++) {
      assertThat(b.get(String.valueOf(i))).isEqualTo("row" + i);
    }
    Map<String, Long> after = RedisTestSupport.commandCalls(admin);

    Map<String, Long> delta = commandsBetween(before, after);
    // One PTTL and one HMGET per miss, sent together, and no script: an entry without tags is a
    // hit as it is read. Besides, once per cache and tier, the SADD that names the cache in the
    // namespace's set, sent with B's first lookup and not waited for.
    assertThat(delta).isEqualTo(Map.of("hmget", (long) n, "pttl", (long) n, "sadd", 1L));
    assertThat(loadsB).hasValue(0);
    assertThat(loadsA).hasValue(n);
    assertThat(groupB.stats().sharedHits()).isEqualTo(n);
    assertThat(groupB.stats().sharedFailures()).isZero();
  }

  /** A rows cache whose source answers getAll in one call, counting the keys it was asked for. */
  private FreshCache<String, String> batchRowsCache(
      CacheGroup group, AtomicInteger loads, Runnable duringLoadAll) {
    return group
        .cache("rows", String.class, String.class)
        .keyPrefix("row:")
        .source(
            new Source<>() {
              @Override
              public String load(String key) {
                loads.incrementAndGet();
                return rows.get(key);
              }

              @Override
              public Map<String, String> loadAll(Set<? extends String> keys) {
                loads.addAndGet(keys.size());
                Map<String, String> found = new HashMap<>();
                keys.forEach(key -> found.put(key, rows.get(key)));
                duringLoadAll.run();
                return found;
              }
            })
        .build();
  }

  private static List<String> rowKeys(int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(String.valueOf(i));
    }
    return keys;
  }

  @Test
  void aGetAllThatHitsTheTierCostsOneRoundTripForAHundredKeys() throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    int n = 100;
    rowKeys(n).forEach(key -> rows.put(key, "row" + key));
    AtomicInteger loadsA = new AtomicInteger();
    FreshCache<String, String> a = batchRowsCache(instance(redis.uri(), false), loadsA, () -> {});
    assertThat(a.getAll(rowKeys(n))).hasSize(n);
    RedisCommands<String, String> admin = admin(redis.uri());
    awaitShared(admin, n);
    AtomicInteger loadsB = new AtomicInteger();
    CacheGroup groupB = instance(redis.uri(), false);
    FreshCache<String, String> b = batchRowsCache(groupB, loadsB, () -> {});
    FreshCache<String, String> c = batchRowsCache(instance(redis.uri(), false), loadsB, () -> {});

    Map<String, Long> before = RedisTestSupport.commandCalls(admin);
    Map<String, String> sync = b.getAll(rowKeys(n));
    Map<String, String> async = c.async().getAll(rowKeys(n)).get(10, TimeUnit.SECONDS);
    Map<String, Long> after = RedisTestSupport.commandCalls(admin);

    Map<String, Long> delta = commandsBetween(before, after);
    // One EVALSHA (the lookup script, all 100 keys) per getAll, sync and async; commandstats also
    // counts the HMGET and PTTL the script runs inside Redis for each key, and each instance's
    // SADD naming the cache, sent with its first lookup.
    assertThat(delta).isEqualTo(Map.of("evalsha", 2L, "hmget", 2L * n, "pttl", 2L * n, "sadd", 2L));
    assertThat(sync).hasSize(n).containsEntry("7", "row7");
    assertThat(async).isEqualTo(sync);
    assertThat(loadsB).hasValue(0);
    assertThat(groupB.stats().sharedHits()).isEqualTo(n);
  }

  /**
   * Part of a getAll is in the tier: those keys are served from it, the rest are loaded in one
   * source call under the leases the same script took, and filled into the tier for the next
   * instance; a key another instance is loading is waited for, not loaded twice.
   */
  @Test
  void aGetAllServesWhatTheTierHoldsAndLoadsTheRestOnceUnderItsLeases() throws Exception {
    rowKeys(10).forEach(key -> rows.put(key, "row" + key));
    AtomicInteger loadsA = new AtomicInteger();
    FreshCache<String, String> a =
        batchRowsCache(instance(RedisTestSupport.URI, false), loadsA, () -> {});
    assertThat(a.getAll(List.of("0", "1", "2", "3", "4"))).hasSize(5);
    RedisSharedTier other = tier(RedisTestSupport.URI);
    SharedLookup held = other.lookup("rows", "row:9", Duration.ofMinutes(1)).get(); // loading
    assertThat(held.lease()).isNotNull();

    AtomicInteger loadsB = new AtomicInteger();
    FreshCache<String, String> b =
        batchRowsCache(instance(RedisTestSupport.URI, false), loadsB, () -> {});
    CompletableFuture<Map<String, String>> all =
        CompletableFuture.supplyAsync(() -> b.getAll(rowKeys(10)));
    // b's one script took the leases of 5 to 8; row:9 is still the other instance's: b waits.
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    SharedKeys keys = new SharedKeys("fctest", namespace);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin.exists(keys.lease("rows", "row:8")) == 1);
    assertThat(all).isNotDone();
    assertThat(loadsB).hasValue(0);
    assertThat(
            other
                .fill(
                    "rows",
                    "row:9",
                    new SharedEntry(
                        "\"row9 from elsewhere\"".getBytes(StandardCharsets.UTF_8),
                        Long.MIN_VALUE,
                        Duration.ofMinutes(5),
                        List.of()),
                    held.lease())
                .get())
        .isTrue();

    Map<String, String> result = all.get(10, TimeUnit.SECONDS);
    assertThat(result).hasSize(10).containsEntry("0", "row0").containsEntry("5", "row5");
    assertThat(result).containsEntry("9", "row9 from elsewhere");
    assertThat(loadsB).hasValue(4); // 5, 6, 7, 8: one loadAll
    AtomicInteger loadsC = new AtomicInteger();
    FreshCache<String, String> c =
        batchRowsCache(instance(RedisTestSupport.URI, false), loadsC, () -> {});
    assertThat(c.getAll(rowKeys(10))).isEqualTo(result);
    assertThat(loadsC).hasValue(0); // b's loads were shared
  }

  /**
   * An invalidation from another instance lands while a getAll's batched load is reading the
   * source: the batch answers its caller, but the invalidated key's old value is stored nowhere
   * (its lease was voided in the tier), while the batch's other keys are shared.
   */
  @Test
  void anInvalidationDuringABatchedFillKeepsTheOldValueOutOfTheTier() throws Exception {
    rowKeys(3).forEach(key -> rows.put(key, "old" + key));
    CacheGroup groupA = instance(RedisTestSupport.URI, true);
    FreshCache<String, String> a = rowsCache(groupA, new AtomicInteger());
    AtomicInteger loadsB = new AtomicInteger();
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch invalidated = new CountDownLatch(1);
    FreshCache<String, String> b =
        batchRowsCache(
            instance(RedisTestSupport.URI, true),
            loadsB,
            () -> {
              reading.countDown();
              try {
                assertThat(invalidated.await(10, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    CompletableFuture<Map<String, String>> all =
        CompletableFuture.supplyAsync(() -> b.getAll(rowKeys(3)));
    assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue(); // leases taken, source read
    rows.put("1", "new1");
    a.invalidate("1");
    invalidated.countDown();

    assertThat(all.get(10, TimeUnit.SECONDS))
        .containsEntry("0", "old0")
        .containsEntry("1", "old1") // asked before the invalidation: its own answer
        .containsEntry("2", "old2");
    // b's fills go out in the keys' order on its connection: once row:2 is stored, Redis has
    // judged row:1's. Read with plain commands: a lookup would take a lease.
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    SharedKeys keys = new SharedKeys("fctest", namespace);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin.exists(keys.entry("rows", "row:2")) == 1);
    assertThat(admin.hget(keys.entry("rows", "row:0"), "v")).isEqualTo("\"old0\"");
    assertThat(admin.hget(keys.entry("rows", "row:1"), "v")).isIn(null, "\"new1\"");
    FreshCache<String, String> c =
        rowsCache(instance(RedisTestSupport.URI, true), new AtomicInteger());
    assertThat(c.get("1")).isEqualTo("new1");
    await().atMost(Duration.ofSeconds(10)).until(() -> "new1".equals(b.get("1")));
  }

  @Test
  void aThousandConcurrentMissesOverFourInstancesLoadOnce() throws Exception {
    rows.put("hot", "hot-row");
    AtomicInteger loads = new AtomicInteger();
    List<FreshCache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      caches.add(rowsCache(instance(RedisTestSupport.URI, true), loads));
    }
    int misses = 1_000;
    CyclicBarrier start = new CyclicBarrier(misses);
    ExecutorService threads = Executors.newFixedThreadPool(misses);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < misses; i++) {
        FreshCache<String, String> cache = caches.get(i % caches.size());
        results.add(
            threads.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return cache.get("hot");
                }));
      }
      for (Future<String> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("hot-row");
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void aLoadRacingAnInvalidationFromAnotherInstanceIsStoredNowhere() throws Exception {
    rows.put("1", "v1");
    CacheGroup groupA = instance(RedisTestSupport.URI, true);
    FreshCache<String, String> a = rowsCache(groupA, new AtomicInteger());
    RedisSharedTier tierB = tier(RedisTestSupport.URI);
    CacheGroup groupB =
        closeLater(
            CacheGroup.builder(namespace)
                .shared(tierB)
                .bus(
                    closeLater(
                        RedisBus.builder(RedisTestSupport.URI, namespace)
                            .keyPrefix("fctest")
                            .build()))
                .build());
    CountDownLatch readOld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger callsB = new AtomicInteger();
    FreshCache<String, String> b =
        groupB
            .cache("rows", String.class, String.class)
            .keyPrefix("row:")
            .source(
                key -> {
                  String value = rows.get(key);
                  if (callsB.incrementAndGet() == 1) {
                    readOld.countDown();
                    release.await(10, TimeUnit.SECONDS);
                  }
                  return value;
                })
            .build();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<String> racing = thread.submit(() -> b.get("1"));
      assertThat(readOld.await(10, TimeUnit.SECONDS)).isTrue();

      rows.put("1", "v2");
      a.invalidate("1");
      release.countDown();
      assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("v1"); // asked before: still its own
    } finally {
      thread.shutdownNow();
    }
    // B's fill went out on B's connection before its caller was answered: one more round trip on
    // that connection means Redis has judged it.
    tierB.lookup("other", "x", Duration.ofMillis(1)).get(10, TimeUnit.SECONDS);

    RedisSharedTier observer = tier(RedisTestSupport.URI);
    SharedLookup shared = observer.lookup("rows", "row:1", Duration.ofMillis(1)).get();
    if (shared.isHit()) {
      assertThat(new String(shared.entry().value(), StandardCharsets.UTF_8)).isEqualTo("\"v2\"");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> "v2".equals(b.get("1")));
    assertThat(a.get("1")).isEqualTo("v2");
    FreshCache<String, String> c =
        rowsCache(instance(RedisTestSupport.URI, true), new AtomicInteger());
    assertThat(c.get("1")).isEqualTo("v2");
  }

  /**
   * Reader B's load races writer A's write-through: A stores v2 in the tier and tells B, whose load
   * is then refused. Handing B's lease on must not take A's entry with it: the next reader, on a
   * third instance, is served v2 from the tier without a source load.
   */
  @Test
  void aRefusedLoadLeavesTheNewerWriteInTheTier() throws Exception {
    rows.put("1", "v1");
    CacheGroup groupA = instance(RedisTestSupport.URI, true);
    FreshCache<String, String> a =
        groupA
            .cache("rows", String.class, String.class)
            .keyPrefix("row:")
            .source(rows::get)
            .writes(io.freshcache.Writes.through(rows::put))
            .build();
    RedisSharedTier tierB = tier(RedisTestSupport.URI);
    CacheGroup groupB =
        closeLater(
            CacheGroup.builder(namespace)
                .shared(tierB)
                .bus(
                    closeLater(
                        RedisBus.builder(RedisTestSupport.URI, namespace)
                            .keyPrefix("fctest")
                            .build()))
                .build());
    CountDownLatch readOld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FreshCache<String, String> b =
        groupB
            .cache("rows", String.class, String.class)
            .keyPrefix("row:")
            .source(
                key -> {
                  String value = rows.get(key);
                  readOld.countDown();
                  release.await(10, TimeUnit.SECONDS);
                  return value;
                })
            .build();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<String> racing = thread.submit(() -> b.get("1"));
      assertThat(readOld.await(10, TimeUnit.SECONDS)).isTrue(); // B holds the lease, read v1

      a.put("1", "v2"); // the source, A, the tier (voiding B's lease), then the bus
      await().atMost(Duration.ofSeconds(10)).until(() -> groupB.stats().applied() >= 1);
      release.countDown();
      assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("v1"); // asked before the write
    } finally {
      thread.shutdownNow();
    }
    assertThat(b.analytics().stats().voidedLoads()).isEqualTo(1); // B's load was refused
    // B handed its lease on before answering its caller; one more round trip on B's connection
    // means Redis has done what B asked.
    tierB.lookup("other", "x", Duration.ofMillis(1)).get(10, TimeUnit.SECONDS);

    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    SharedKeys keys = new SharedKeys("fctest", namespace);
    assertThat(admin.hget(keys.entry("rows", "row:1"), "v")).isEqualTo("\"v2\"");
    AtomicInteger loadsC = new AtomicInteger();
    FreshCache<String, String> c = rowsCache(instance(RedisTestSupport.URI, false), loadsC);
    assertThat(c.get("1")).isEqualTo("v2");
    assertThat(loadsC).hasValue(0);
  }

  /**
   * Service A (cache users) invalidates service B's key: an invalidation that names no cache
   * reaches every cache of the namespace in the tier, whichever caches the invalidating instance
   * hosts.
   */
  @Test
  void anInvalidationNamingNoCacheReachesTheCachesOfOtherServicesInTheTier() throws Exception {
    rows.put("1", "one");
    rows.put("2", "two");
    rows.put("3", "three");
    CacheGroup serviceA = instance(RedisTestSupport.URI, false);
    rowsCache(serviceA, new AtomicInteger()); // A hosts rows, not orders
    CacheGroup serviceB = instance(RedisTestSupport.URI, false);
    FreshCache<String, String> orders =
        serviceB
            .cache("orders", String.class, String.class)
            .keyPrefix("order:")
            .source(rows::get)
            .build();
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    SharedKeys keys = new SharedKeys("fctest", namespace);
    for (String id : List.of("1", "2", "3")) {
      orders.get(id);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin.exists(
                        keys.entry("orders", "order:1"),
                        keys.entry("orders", "order:2"),
                        keys.entry("orders", "order:3"))
                    == 3);

    serviceA.invalidateKeys("order:1");
    assertThat(admin.exists(keys.entry("orders", "order:1"))).isZero();
    assertThat(admin.exists(keys.entry("orders", "order:2"))).isOne();

    serviceA.invalidatePattern("order:2*");
    assertThat(admin.exists(keys.entry("orders", "order:2"))).isZero();
    assertThat(admin.exists(keys.entry("orders", "order:3"))).isOne();

    serviceA.invalidateAll();
    assertThat(admin.exists(keys.entry("orders", "order:3"))).isZero();
  }

  @Test
  void aRedisThatIsDownFailsNoReadAndIsCounted() throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    rows.put("1", "v1");
    rows.put("2", "v2");
    AtomicInteger loads = new AtomicInteger();
    CacheGroup group = instance(redis.uri(), false);
    FreshCache<String, String> cache = rowsCache(group, loads);
    assertThat(cache.get("1")).isEqualTo("v1");
    assertThat(group.stats().sharedFailures()).isZero();

    redis.kill();

    assertThat(cache.get("2")).isEqualTo("v2");
    cache.put("3", "v3");
    assertThat(cache.get("3")).isEqualTo("v3");
    cache.invalidate("1");
    assertThat(cache.get("1")).isEqualTo("v1");
    assertThat(loads).hasValue(3);
    // The first failure opens the breaker: later calls skip the dead tier instead of failing.
    assertThat(group.stats().sharedFailures()).isPositive();
    assertThat(group.stats().sharedFailures() + group.stats().sharedSkipped())
        .isGreaterThanOrEqualTo(3);
    assertThat(group.stats().sharedBreakerOpen()).isTrue();
  }

  @Test
  void aSharedHitOlderThanAVersionSeenHereIsRefusedAndTheSourceAnswers() throws Exception {
    rows.put("1", "v7");
    AtomicInteger loads = new AtomicInteger();
    CacheGroup group = instance(RedisTestSupport.URI, false);
    FreshCache<String, String> cache =
        group
            .cache("versioned", String.class, String.class)
            .keyPrefix("vrow:")
            .version(v -> Long.parseLong(v.substring(1)))
            .source(
                key -> {
                  loads.incrementAndGet();
                  return rows.get(key);
                })
            .build();
    group.invalidate(
        new io.freshcache.event.Invalidation.Keys(
            null, List.of("vrow:1"), false, java.util.OptionalLong.of(5)));
    // The tier missed that invalidation (say, it was down): it holds version 4.
    tier(RedisTestSupport.URI)
        .put(
            "versioned",
            "vrow:1",
            new io.freshcache.spi.SharedEntry(
                "\"v4\"".getBytes(StandardCharsets.UTF_8), 4, Duration.ofMinutes(1), List.of()))
        .get(10, TimeUnit.SECONDS);

    assertThat(cache.get("1")).isEqualTo("v7");
    assertThat(loads).hasValue(1);
  }

  @Test
  void aFailedLoadHandsItsLeaseOn() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CacheGroup group = instance(RedisTestSupport.URI, false);
    FreshCache<String, String> cache =
        group
            .cache("failing", String.class, String.class)
            .keyPrefix("f:")
            .source(
                key -> {
                  loads.incrementAndGet();
                  throw new IllegalStateException("source down");
                })
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.get("1"))
        .hasMessage("source down");
    // The release went out on the group's connection before get failed; the observer's lookup
    // may still overtake it on its own connection, so ask until the lease is free.
    RedisSharedTier observer = tier(RedisTestSupport.URI);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> observer.lookup("failing", "f:1", Duration.ofMillis(1)).get().lease() != null);
    assertThat(loads).hasValue(1);
  }
}
