package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.FreshCache;
import io.freshcache.test.StalenessHistory;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consistency contract attacked from the writer's side: a writer cut off from Redis, a Redis
 * that holds writes but answers everything else, a Redis that stalls. Every read of the reader is
 * judged by {@link StalenessHistory}.
 */
class WriterFaultIT {

  private static final Duration DELTA = Duration.ofMillis(200);
  private static final String KEY = "k";
  private static final AtomicLong NAMES = new AtomicLong();

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final String namespace = "wfault-" + NAMES.incrementAndGet() + "-" + System.nanoTime();

  /** The source of truth: the key's current version; a value is "v<version>". */
  private final AtomicLong version = new AtomicLong(1);

  private final Map<String, Integer> loads = new ConcurrentHashMap<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    closing.add(0, closeable);
    return closeable;
  }

  private final class Instance {
    final RedisBus bus;
    final RedisSharedTier tier;
    final CacheGroup group;
    final FreshCache<String, String> users;

    Instance(String uri, String name, UnaryOperator<CacheGroupBuilder> settings) {
      this(uri, name, settings, true);
    }

    Instance(String uri, String name, UnaryOperator<CacheGroupBuilder> settings, boolean withTier) {
      this(uri, name, settings, withTier, true);
    }

    Instance(
        String uri,
        String name,
        UnaryOperator<CacheGroupBuilder> settings,
        boolean withTier,
        boolean channelDelivery) {
      bus =
          closeLater(
              RedisBus.builder(uri, namespace)
                  .keyPrefix("wftest")
                  .clientName("wftest-" + name + "-" + NAMES.incrementAndGet())
                  .stalenessBound(DELTA)
                  .commandTimeout(Duration.ofMillis(500))
                  .channelDelivery(channelDelivery)
                  .build());
      tier =
          withTier
              ? closeLater(
                  RedisSharedTier.builder(uri, namespace)
                      .keyPrefix("wftest")
                      .commandTimeout(Duration.ofMillis(500))
                      .build())
              : null;
      CacheGroupBuilder builder = CacheGroup.builder(namespace).bus(bus).instanceId(name);
      if (withTier) {
        builder
            .shared(tier)
            .sharedTimeout(Duration.ofMillis(300))
            .sharedProbeInterval(Duration.ofMillis(500));
      }
      group = closeLater(settings.apply(builder).build());
      users =
          group
              .cache("users", String.class, String.class)
              .keyPrefix("user:")
              .source(
                  key -> {
                    loads.merge(name, 1, Integer::sum);
                    return "v" + version.get();
                  })
              .build();
    }

    Instance(String uri, String name) {
      this(uri, name, UnaryOperator.identity());
    }
  }

  /** The writer moves the key to its next version: the source, then the cache (a put). */
  private void write(Instance writer, StalenessHistory history) {
    long next = version.incrementAndGet();
    writer.users.put(KEY, "v" + next);
    history.superseded(next - 1, System.nanoTime());
  }

  @Test
  void aWriterCutOffFromRedisLosesNothingAndTheFleetCatchesUpWithinDeltaOfItsReturn()
      throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    TcpProxy proxy = closeLater(new TcpProxy(redis.port));
    Instance writer = new Instance(proxy.uri(), "writer");
    Instance reader = new Instance(redis.uri(), "reader");
    StalenessHistory history = new StalenessHistory(DELTA.toNanos());
    assertThat(reader.users.get(KEY)).isEqualTo("v1");
    AtomicBoolean stop = new AtomicBoolean();
    Thread reading = history.reader(() -> reader.users.get(KEY), stop, 0);

    for (int i = 0; i < 10; i++) {
      write(writer, history);
      TimeUnit.MILLISECONDS.sleep(50); // paces the writer; no timing is asserted on it
    }
    proxy.cut();
    List<Long> madeWhileCut = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      madeWhileCut.add(version.get());
      write(writer, history); // returns at once: the invalidation waits in the outbox
      TimeUnit.MILLISECONDS.sleep(50);
    }
    assertThat(writer.group.stats().outboxDepth()).isPositive();
    proxy.heal();
    history.boundFromDrain(writer.group, madeWhileCut, Duration.ofSeconds(15));
    // Nothing written after the heal: what the fleet ends with is what the outbox brought it.
    TimeUnit.MILLISECONDS.sleep(DELTA.toMillis() * 5); // the reader reads on past the last bound
    stop.set(true);
    reading.join();

    System.out.printf(
        "partition: %d reads, worst staleness %.1f ms, worst past the bound %.1f ms (δ = %d ms),"
            + " outbox delivered %d, losses at the reader %d%n",
        history.reads(),
        history.worstStalenessMillis(),
        history.worstPastBoundMillis(),
        DELTA.toMillis(),
        writer.group.stats().outboxDelivered(),
        reader.group.stats().losses());
    assertThat(history.worstPastBoundMillis())
        .as("reads stale beyond δ after the writer's outbox got through")
        .isNegative();
    assertThat(reader.users.get(KEY)).isEqualTo("v" + version.get());
    // The shared tier was kept in step too: a fresh instance reads the newest value from it.
    Instance late = new Instance(redis.uri(), "late");
    assertThat(late.users.get(KEY)).isEqualTo("v" + version.get());
  }

  /** CLIENT PAUSE ms WRITE: Redis holds every client's writes, and answers its reads. */
  private static void pauseWrites(StatefulRedisConnection<String, String> admin, long millis) {
    admin
        .sync()
        .dispatch(
            CommandType.CLIENT,
            new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(millis).add("WRITE"));
  }

  /** When the writer's outbox was first seen empty again (System.nanoTime). */
  @ParameterizedTest(name = "channel delivery {0}")
  @ValueSource(booleans = {true, false})
  void aRedisThatHoldsPublishesButAnswersProbesStopsLocalHitsWithinDelta(boolean channel)
      throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    // No shared tier: the writer's put returns at once, its event held by Redis. Without channel
    // delivery only the stream's proofs vouch, and they must pass a write too.
    Instance writer = new Instance(redis.uri(), "writer", UnaryOperator.identity(), false, channel);
    Instance reader = new Instance(redis.uri(), "reader", UnaryOperator.identity(), false, channel);
    StalenessHistory history = new StalenessHistory(DELTA.toNanos());
    assertThat(reader.users.get(KEY)).isEqualTo("v1");
    AtomicBoolean stop = new AtomicBoolean();
    Thread reading = history.reader(() -> reader.users.get(KEY), stop, 0);
    RedisClient client = RedisTestSupport.plainClient(redis.uri());
    closeLater(client::shutdown);
    StatefulRedisConnection<String, String> admin = closeLater(client.connect());
    TimeUnit.MILLISECONDS.sleep(300); // the reader serves local hits, vouched for

    for (int round = 0; round < 3; round++) {
      pauseWrites(admin, 1_000); // writes (PUBLISH, EVAL, UNLINK...) held; reads answered
      write(writer, history);
      TimeUnit.MILLISECONDS.sleep(1_500);
    }
    stop.set(true);
    reading.join();
    System.out.printf(
        "pause: %d reads, worst staleness %.1f ms, worst past δ %.1f ms, suspensions %d%n",
        history.reads(),
        history.worstStalenessMillis(),
        history.worstPastBoundMillis(),
        reader.group.stats().suspensions());
    assertThat(history.worstPastBoundMillis()).as("reads stale beyond δ").isNegative();
  }

  @Test
  void aStrictWriteThatReturnedSurvivesTheWriterBeingKilledAtOnce() throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    Instance reader = new Instance(redis.uri(), "reader", UnaryOperator.identity(), false);
    assertThat(reader.users.get(KEY)).isEqualTo("v1");
    Process writer = WriterProcess.command(redis.uri(), namespace, KEY, "v2", "strict").start();
    closeLater(writer::destroyForcibly);
    java.io.BufferedReader out = output(writer);
    awaitLine(out, "READY");
    version.set(2); // the source has the new value; the reader still holds v1 locally
    StalenessHistory history = new StalenessHistory(DELTA.toNanos());
    AtomicBoolean stop = new AtomicBoolean();
    Thread reading = history.reader(() -> reader.users.get(KEY), stop, 0);
    RedisClient client = RedisTestSupport.plainClient(redis.uri());
    closeLater(client::shutdown);
    StatefulRedisConnection<String, String> admin = closeLater(client.connect());

    pauseWrites(admin, 1_500); // the writer's event is held by Redis...
    writer.getOutputStream().write('\n');
    writer.getOutputStream().flush();
    awaitLine(out, "ACK"); // ...so a strict put returns only once Redis has taken it
    writer.destroyForcibly(); // SIGKILL right after the acknowledgement
    long acknowledged = System.nanoTime();
    history.superseded(1, acknowledged);
    writer.waitFor(10, TimeUnit.SECONDS);
    TimeUnit.MILLISECONDS.sleep(DELTA.toMillis() * 3); // the reader reads on past the bound
    stop.set(true);
    reading.join();

    System.out.printf(
        "strict crash: %d reads, worst staleness after the acknowledgement %.1f ms (δ = %d ms)%n",
        history.reads(), history.worstStalenessMillis(), DELTA.toMillis());
    assertThat(history.worstPastBoundMillis()).as("reads stale beyond δ after ACK").isNegative();
    assertThat(reader.users.get(KEY)).isEqualTo("v2");
  }

  private static java.io.BufferedReader output(Process process) {
    return new java.io.BufferedReader(
        new java.io.InputStreamReader(
            process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void awaitLine(java.io.BufferedReader out, String expected) throws Exception {
    List<String> seen = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals(expected)) {
        return;
      }
      seen.add(line);
    }
    throw new AssertionError("the writer process ended before printing " + expected + ": " + seen);
  }

  @Test
  void aStalledRedisCostsAMissOneTimeoutPerProbeIntervalNotOneEach() throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    Instance instance = new Instance(redis.uri(), "stalled");
    assertThat(instance.users.get(KEY)).isEqualTo("v1");
    instance.users.invalidate(KEY); // so that each get below is a miss

    redis.freeze(); // SIGSTOP: the connections stay open, nothing answers
    try {
      long first = System.nanoTime();
      instance.users.get("miss-0");
      long firstMiss = System.nanoTime() - first;
      long rest = System.nanoTime();
      int misses = 50;
      for (int i = 1; i <= misses; i++) {
        instance.users.get("miss-" + i);
      }
      long perMiss = (System.nanoTime() - rest) / misses;
      long writes = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        version.incrementAndGet();
        instance.users.invalidate(KEY);
      }
      long perWrite = (System.nanoTime() - writes) / 20;
      System.out.printf(
          "stall: first miss %.1f ms, then %.3f ms per miss and %.3f ms per invalidation with"
              + " the breaker open; shared failures %d, skipped %d, outbox %d%n",
          firstMiss / 1e6,
          perMiss / 1e6,
          perWrite / 1e6,
          instance.group.stats().sharedFailures(),
          instance.group.stats().sharedSkipped(),
          instance.group.stats().outboxDepth());
      // Counted, not timed: one call waited for the stalled tier and opened the breaker; the
      // others skipped it (misses also because the stalled bus suspended the group's trust).
      assertThat(instance.group.stats().sharedBreakerOpen()).isTrue();
      assertThat(instance.group.stats().sharedFailures()).isLessThanOrEqualTo(2);
      assertThat(instance.group.stats().sharedSkipped()).isGreaterThanOrEqualTo(18);
      assertThat(instance.group.stats().outboxDepth()).isPositive();
      assertThat(loads.get("stalled")).isEqualTo(2 + misses); // every miss read the source
    } finally {
      redis.thaw();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> instance.group.stats().outboxDepth() == 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> !instance.group.stats().sharedBreakerOpen());
    await().atMost(Duration.ofSeconds(10)).until(() -> instance.group.stats().live());
    assertThat(instance.users.get(KEY)).isEqualTo("v" + version.get());
  }

  @Test
  void aServiceStartsWhileRedisIsDownAndAttachesBusAndTierWhenItAnswers() throws Exception {
    PrivateRedis redis = closeLater(PrivateRedis.reserved());
    Instance early = new Instance(redis.uri(), "early"); // builds: nothing to connect to yet
    assertThat(early.bus.isAttached()).isFalse();
    assertThat(early.tier.isAttached()).isFalse();
    assertThat(early.users.get(KEY)).isEqualTo("v1"); // from the source
    assertThat(early.group.stats().live()).isFalse();
    version.set(2);
    early.users.put(KEY, "v2"); // kept: the tier's change and the event wait in the outbox
    assertThat(early.group.stats().outboxDepth()).isEqualTo(1);

    redis.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> early.bus.isAttached());
    await().atMost(Duration.ofSeconds(10)).until(() -> early.tier.isAttached());
    await().atMost(Duration.ofSeconds(10)).until(() -> early.group.stats().outboxDepth() == 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> early.group.stats().live());
    assertThat(early.group.stats().losses()).isEqualTo(1); // what it loaded detached is cleared
    Instance later = new Instance(redis.uri(), "later");
    assertThat(later.users.get(KEY)).isEqualTo("v2");
    version.set(3);
    later.users.invalidate(KEY);
    await().atMost(Duration.ofSeconds(5)).until(() -> "v3".equals(early.users.get(KEY)));
  }

  @Test
  void aWriterKilledWithItsOutboxFullIsFoundOutAtTheNextStartAndTheFleetClears(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path markers) throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    TcpProxy proxy = closeLater(new TcpProxy(redis.port));
    Instance reader = new Instance(redis.uri(), "reader", UnaryOperator.identity(), false);
    assertThat(reader.users.get(KEY)).isEqualTo("v1");
    Process writer =
        WriterProcess.command(proxy.uri(), namespace, KEY, "v2", "queued", markers.toString())
            .start();
    closeLater(writer::destroyForcibly);
    java.io.BufferedReader out = output(writer);
    awaitLine(out, "READY");

    proxy.cut();
    version.set(2);
    writer.getOutputStream().write('\n');
    writer.getOutputStream().flush();
    awaitLine(out, "QUEUED"); // the invalidation waits in the writer's outbox...
    writer.destroyForcibly(); // ...and dies with it
    writer.waitFor(10, TimeUnit.SECONDS);
    proxy.heal();
    assertThat(reader.users.get(KEY)).isEqualTo("v1"); // lost: nothing can tell the reader
    restartTheWriterAndSeeTheFleetClear(redis, reader, markers);
  }

  /**
   * The writer's service starts again on the same host, with the same marker directory: it finds
   * the dead process's marker, the reader clears and reads the new value, and the restart's outbox
   * delivers.
   */
  private void restartTheWriterAndSeeTheFleetClear(
      PrivateRedis redis, Instance reader, java.nio.file.Path markers) {
    Instance restarted =
        new Instance(redis.uri(), "writer", settings -> settings.outboxMarkers(markers), false);
    await().atMost(Duration.ofSeconds(10)).until(() -> "v2".equals(reader.users.get(KEY)));
    assertThat(reader.group.stats().applied()).isPositive();
    await().atMost(Duration.ofSeconds(10)).until(() -> restarted.group.stats().outboxDepth() == 0);
    assertOnlyTheRestartedWritersMarkerIsLeftOwingNothing(markers);
  }

  /**
   * The dead writer's marker was taken over by its restart (the same instance id), which owes
   * nothing once the fleet cleared: its first byte is {@code C}.
   */
  private void assertOnlyTheRestartedWritersMarkerIsLeftOwingNothing(java.nio.file.Path markers) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              try (java.util.stream.Stream<java.nio.file.Path> left =
                  java.nio.file.Files.list(markers)) {
                List<java.nio.file.Path> files = left.toList();
                assertThat(files)
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly("freshcache-" + namespace + "-writer.pending");
                assertThat(java.nio.file.Files.readAllBytes(files.get(0))[0]).isEqualTo((byte) 'C');
              }
            });
  }

  @Test
  void aWriterKilledTheMomentADefaultPutReturnedIsFoundOutAtTheNextStartAndTheFleetClears(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path markers) throws Exception {
    PrivateRedis redis = closeLater(new PrivateRedis());
    Instance reader = new Instance(redis.uri(), "reader", UnaryOperator.identity(), false);
    assertThat(reader.users.get(KEY)).isEqualTo("v1");
    Process writer =
        WriterProcess.command(redis.uri(), namespace, KEY, "v2", "sent", markers.toString())
            .start();
    closeLater(writer::destroyForcibly);
    java.io.BufferedReader out = output(writer);
    awaitLine(out, "READY");
    RedisClient client = RedisTestSupport.plainClient(redis.uri());
    closeLater(client::shutdown);
    StatefulRedisConnection<String, String> admin = closeLater(client.connect());

    version.set(2);
    pauseWrites(admin, 10_000); // Redis holds the put's event...
    writer.getOutputStream().write('\n');
    writer.getOutputStream().flush();
    awaitLine(out, "SENT 0"); // ...so the put returned with it sent, the outbox empty...
    writer.destroyForcibly(); // ...and the writer dies before Redis confirmed it
    writer.waitFor(10, TimeUnit.SECONDS);
    admin
        .sync()
        .dispatch(
            CommandType.CLIENT,
            new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE")); // what the dead one sent is gone
    // The pause suspended the reader's hits (its heartbeats were held too): until one returns it
    // reads the source, which already says v2. Once it vouches again it serves what it holds.
    await().atMost(Duration.ofSeconds(10)).until(() -> reader.group.stats().live());
    assertThat(reader.users.get(KEY)).isEqualTo("v1"); // lost: nothing can tell the reader
    restartTheWriterAndSeeTheFleetClear(redis, reader, markers);
  }
}
