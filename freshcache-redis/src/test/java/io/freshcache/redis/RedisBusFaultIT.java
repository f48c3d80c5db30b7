package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Redis bus does when Redis, its connections or its publishers misbehave. */
class RedisBusFaultIT {

  private static final Duration DELTA = Duration.ofMillis(200);
  private static final AtomicLong NAMESPACES = new AtomicLong();

  /** The source of truth: each key's version; a value is "v<version>". */
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  /** When each (key, version) stopped being current: the moment its invalidation was issued. */
  private final Map<String, Long> supersededAt = new ConcurrentHashMap<>();

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final String namespace =
      "fault-" + NAMESPACES.incrementAndGet() + "-" + System.nanoTime();

  private final class Instance {
    final RedisBus bus;
    final CacheGroup group;
    final FreshCache<String, String> users;

    Instance(String uri, String name, boolean channelDelivery) {
      bus =
          RedisBus.builder(uri, namespace)
              .keyPrefix("fctest")
              .clientName("fctest-" + name + "-" + NAMESPACES.incrementAndGet())
              .stalenessBound(DELTA)
              .channelDelivery(channelDelivery)
              .build();
      group = CacheGroup.builder(namespace).bus(bus).instanceId(name).build();
      users =
          group
              .cache("users", String.class, String.class)
              .keyPrefix("user:")
              .source(key -> "v" + versions.getOrDefault(key, 0L))
              .build();
      closing.add(0, bus);
      closing.add(0, group);
    }
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    RedisClient client = RedisTestSupport.plainClient(RedisTestSupport.URI);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      admin.sync().del("fctest:{" + namespace + "}:log");
    } finally {
      client.shutdown();
    }
  }

  private StatefulRedisConnection<String, String> plain(String uri) {
    RedisClient client = RedisTestSupport.plainClient(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    closing.add(client::shutdown);
    closing.add(0, connection);
    return connection;
  }

  /** Whether the instance holds a live entry for {@code key}, whatever the bus vouches now. */
  private static boolean held(Instance instance, String key) {
    return instance.users.analytics().key(key).isPresent();
  }

  private static String seedDelete(String... keys) {
    StringBuilder list = new StringBuilder();
    for (String key : keys) {
      list.append(list.length() == 0 ? "" : ", ").append('"').append(key).append('"');
    }
    return "{\"type\": \"user.updated\", \"timestamp\": 12345.678,"
        + " \"payload\": {\"type\": \"delete\", \"keys\": ["
        + list
        + "], \"user_id\": 1}}";
  }

  @Test
  void aRawPublishOfThePlainJsonInvalidatesEveryInstance() {
    List<Instance> fleet =
        List.of(
            new Instance(RedisTestSupport.URI, "a", true),
            new Instance(RedisTestSupport.URI, "b", true),
            new Instance(RedisTestSupport.URI, "c", true));
    fleet.forEach(i -> List.of("1", "2", "3").forEach(i.users::get));

    plain(RedisTestSupport.URI)
        .sync()
        .publish("cache:invalidation:user.updated", seedDelete("user:1", "user:2"));

    for (Instance instance : fleet) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(held(instance, "1")).isFalse();
                assertThat(held(instance, "2")).isFalse();
              });
      assertThat(held(instance, "3")).isTrue();
    }
  }

  @Test
  void malformedAndOversizedMessagesOnTheChannelAreCountedAndChangeNothing() {
    Instance a = new Instance(RedisTestSupport.URI, "a", true);
    Instance b = new Instance(RedisTestSupport.URI, "b", true);
    List.of(a, b).forEach(i -> List.of("1", "2").forEach(i.users::get));
    StatefulRedisConnection<String, String> publisher = plain(RedisTestSupport.URI);

    publisher.sync().publish("cache:invalidation:user.updated", "{not json");
    publisher
        .sync()
        .publish(
            "cache:invalidation:user.updated",
            "{\"type\": \"user.updated\", \"payload\": {\"type\": \"nuke\"}}");
    publisher
        .sync()
        .publish(
            "cache:invalidation:user.updated",
            seedDelete("user:1").replace("12345.678", "\"" + "x".repeat(2 << 20) + "\""));
    publisher.sync().publish("cache:invalidation:user.updated", seedDelete("user:2"));

    for (Instance instance : List.of(a, b)) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(held(instance, "2")).isFalse());
      assertThat(instance.group.stats().malformed()).isEqualTo(3);
      assertThat(held(instance, "1")).isTrue();
    }
  }

  /**
   * Channel-only publishers invalidate while the reader's subscription is killed again and again.
   * Every read of the reader is checked: it may return an old version only within δ of the
   * invalidation that superseded it.
   */
  @Test
  void killingTheSubscriptionWhilePublishingNeverServesAValueInvalidatedLongerThanDeltaAgo()
      throws Exception {
    Instance reader = new Instance(RedisTestSupport.URI, "reader", true);
    StatefulRedisConnection<String, String> publisher = plain(RedisTestSupport.URI);
    StatefulRedisConnection<String, String> admin = plain(RedisTestSupport.URI);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add(Integer.toString(i));
      versions.put(Integer.toString(i), 0L);
    }
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicLong worstNanos = new AtomicLong();
    AtomicLong reads = new AtomicLong();

    Thread readerThread =
        new Thread(
            () -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              while (running.get()) {
                String key = keys.get(random.nextInt(keys.size()));
                // A read is judged by when it started: one that starts within δ may still hit.
                long now = System.nanoTime();
                long seen = Long.parseLong(reader.users.get(key).substring(1));
                reads.incrementAndGet();
                Long since = supersededAt.get(key + "@" + seen);
                if (since != null) {
                  long staleFor = now - since;
                  worstNanos.accumulateAndGet(staleFor, Math::max);
                  if (staleFor > DELTA.toNanos()) {
                    violations.add(
                        key
                            + " served v"
                            + seen
                            + " "
                            + staleFor / 1_000_000
                            + " ms after its invalidation");
                  }
                }
              }
            });
    readerThread.start();
    int killed = 0;
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    long nextKill = System.nanoTime();
    while (System.nanoTime() < end) {
      String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
      long old = versions.get(key);
      versions.put(key, old + 1);
      supersededAt.put(key + "@" + old, System.nanoTime());
      publisher.sync().publish("cache:invalidation:user.updated", seedDelete("user:" + key));
      if (System.nanoTime() >= nextKill) {
        killed += RedisTestSupport.kill(admin, reader.bus.clientName() + "-sub");
        nextKill = System.nanoTime() + Duration.ofMillis(400).toNanos();
      }
      Thread.sleep(2); // pace the publisher: a few hundred invalidations a second
    }
    running.set(false);
    readerThread.join();

    System.out.printf(
        "subscription killed %d times; %d reads checked; worst staleness %.1f ms (bound %d ms); losses reported %d%n",
        killed,
        reads.get(),
        worstNanos.get() / 1e6,
        DELTA.toMillis(),
        reader.group.stats().losses());
    assertThat(killed).isGreaterThanOrEqualTo(5);
    assertThat(reader.group.stats().losses()).isGreaterThanOrEqualTo(1);
    assertThat(violations).isEmpty();
  }

  /** Redis stops answering (DEBUG SLEEP): no disconnect, just silence. δ alone must save us. */
  @Test
  void aStalledRedisSuspendsLocalHitsWithinDelta() throws Exception {
    try (PrivateRedis redis = new PrivateRedis()) {
      Instance reader = new Instance(redis.uri(), "reader", true);
      StatefulRedisConnection<String, String> sleeper = plain(redis.uri());
      versions.put("k", 0L);
      assertThat(reader.users.get("k")).isEqualTo("v0");

      // The invalidation follows DEBUG SLEEP on the same connection, so Redis cannot deliver it
      // before the stall ends: for the whole stall the reader holds an invalidated value.
      versions.put("k", 1L);
      long invalidatedAt = System.nanoTime();
      sleeper
          .async()
          .dispatch(
              CommandType.DEBUG,
              new StatusOutput<>(StringCodec.UTF8),
              new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add("1.5"));
      sleeper.async().publish("cache:invalidation:user.updated", seedDelete("user:k"));

      long worst = 0;
      long end = invalidatedAt + Duration.ofMillis(1_000).toNanos();
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        String value = reader.users.get("k");
        if (value.equals("v0")) {
          worst = Math.max(worst, now - invalidatedAt);
        }
      }
      System.out.printf(
          "stalled Redis: old value served up to %.1f ms after the invalidation (bound %d ms)%n",
          worst / 1e6, DELTA.toMillis());
      assertThat(Duration.ofNanos(worst)).isLessThanOrEqualTo(DELTA);
      assertThat(reader.group.stats().suspensions()).isGreaterThanOrEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> reader.group.stats().live());
    }
  }

  /**
   * Stream only, so the subscription's reconnection cannot be what notices: the changed run id
   * must.
   */
  @Test
  void aRedisRestartIsReportedAsALossAndClearsLocalCaches() throws Exception {
    try (PrivateRedis redis = new PrivateRedis()) {
      Instance reader = new Instance(redis.uri(), "reader", false);
      reader.users.get("1");
      redis.kill();
      redis.start();
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                assertThat(reader.group.stats().losses()).isGreaterThanOrEqualTo(1);
                assertThat(reader.group.stats().live()).isTrue();
              });
      assertThat(held(reader, "1")).isFalse();
    }
  }

  /** With the stream as the only path, a dropped connection replays what it missed: no clearing. */
  @Test
  void aDroppedStreamConnectionReplaysWhatItMissed() {
    Instance writer = new Instance(RedisTestSupport.URI, "writer", false);
    Instance reader = new Instance(RedisTestSupport.URI, "reader", false);
    StatefulRedisConnection<String, String> admin = plain(RedisTestSupport.URI);
    List.of("1", "2", "3").forEach(reader.users::get);

    assertThat(RedisTestSupport.kill(admin, reader.bus.clientName() + "-log")).isEqualTo(1);
    writer.group.invalidateKeys("user:1", "user:2");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(held(reader, "1")).isFalse();
              assertThat(held(reader, "2")).isFalse();
            });
    assertThat(held(reader, "3")).isTrue();
    assertThat(reader.group.stats().losses()).isZero();
  }

  /** Entries trimmed before the reader read them cannot be replayed: a loss, and a clear. */
  @Test
  void aStreamTrimmedPastTheReadersPositionIsReportedAsALoss() {
    Instance reader = new Instance(RedisTestSupport.URI, "reader", false);
    StatefulRedisConnection<String, String> admin = plain(RedisTestSupport.URI);
    reader.users.get("3");
    String stream = reader.bus.streamKey();

    assertThat(RedisTestSupport.kill(admin, reader.bus.clientName() + "-log")).isEqualTo(1);
    // Added and trimmed in one atomic step: the reader can never have read it.
    admin
        .sync()
        .eval(
            "redis.call('XADD', KEYS[1], '*', 'm', ARGV[1]) return redis.call('XTRIM', KEYS[1], 'MAXLEN', 0)",
            io.lettuce.core.ScriptOutputType.INTEGER,
            new String[] {stream},
            seedDelete("user:1"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(reader.group.stats().losses()).isEqualTo(1));
    assertThat(held(reader, "3")).isFalse();
  }
}
