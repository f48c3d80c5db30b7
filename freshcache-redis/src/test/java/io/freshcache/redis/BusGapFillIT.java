package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.spi.InvalidationBus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With channel delivery on, a receiver takes freshcache's events from the channel and reads the log
 * only when a number is missing: an event whose channel copy it never heard (a raw client numbers
 * and appends it, as the publish script does, but does not publish it) is filled from the log, in
 * order, whether a later event or a heartbeat reveals the gap; a missing number the log no longer
 * holds is a loss, reported before what follows.
 */
class BusGapFillIT {

  private static final AtomicLong NAMESPACES = new AtomicLong();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Numbers and appends an event as the publish script does, without publishing it. */
  private static final String UNPUBLISHED =
      "local seq = redis.call('INCR', KEYS[2]) "
          + "return redis.call('XADD', KEYS[1], '*', 'm', ARGV[1], 's', seq)";

  /** The same, then deletes the entry: a number the log no longer holds. */
  private static final String UNPUBLISHED_AND_GONE =
      "local seq = redis.call('INCR', KEYS[2]) "
          + "local id = redis.call('XADD', KEYS[1], '*', 'm', ARGV[1], 's', seq) "
          + "redis.call('XDEL', KEYS[1], id) return id";

  private final String namespace =
      "gapfill-" + NAMESPACES.incrementAndGet() + "-" + System.nanoTime();
  private final List<AutoCloseable> closing = new ArrayList<>();

  /**
   * What a receiver was handed, in order: this test's messages (less the namespace they start
   * with), and "LOSS" for a loss. Others' plain publishes on the shared Redis are passed over.
   */
  private final class Heard implements InvalidationBus.Receiver {
    private final List<String> signals = new ArrayList<>();

    @Override
    public synchronized void onMessage(String message) {
      if (message.startsWith(namespace + " ")) {
        signals.add(message.substring(namespace.length() + 1));
      }
    }

    @Override
    public synchronized void onLoss(String reason) {
      signals.add("LOSS");
    }

    synchronized List<String> signals() {
      return List.copyOf(signals);
    }
  }

  private RedisBus bus(String uri, Duration delta) {
    RedisBus bus =
        RedisBus.builder(uri, namespace).keyPrefix("fctest").stalenessBound(delta).build();
    closing.add(0, bus);
    return bus;
  }

  private RedisCommands<String, String> admin(String uri) {
    RedisClient client = RedisTestSupport.plainClient(uri);
    StatefulRedisConnection<String, String> connection = client.connect();
    closing.add(client::shutdown);
    closing.add(0, connection);
    return connection.sync();
  }

  private void unpublished(
      RedisCommands<String, String> admin, RedisBus bus, String script, String m) {
    admin.eval(
        script,
        ScriptOutputType.VALUE,
        new String[] {bus.streamKey(), "fctest:{" + namespace + "}:seq"},
        namespace + " " + m);
  }

  private void publish(RedisBus bus, String m) throws Exception {
    bus.publish("a.b", namespace + " " + m).get(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    RedisTestSupport.deleteMatching("fctest:{" + namespace + "}:*");
  }

  @Test
  void anEventAfterAMissedOneHasTheGapFilledFromTheLogFirst() throws Exception {
    // A δ so long that no heartbeat runs during the test: the later event reveals the gap.
    RedisBus receiving = bus(RedisTestSupport.URI, Duration.ofMinutes(10));
    RedisBus publishing = bus(RedisTestSupport.URI, Duration.ofMinutes(10));
    Heard heard = new Heard();
    receiving.subscribe(heard);
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);

    unpublished(admin, receiving, UNPUBLISHED, "missed on the channel");
    publish(publishing, "after it");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(heard.signals()).containsExactly("missed on the channel", "after it"));
  }

  @Test
  void aHeartbeatRevealsAMissedLastEventAndTheLogFillsIt() {
    RedisBus receiving = bus(RedisTestSupport.URI, Duration.ofMillis(200));
    Heard heard = new Heard();
    receiving.subscribe(heard);
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);

    unpublished(admin, receiving, UNPUBLISHED, "the last event, missed on the channel");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(heard.signals())
                    .containsExactly("the last event, missed on the channel"));
    await().atMost(TIMEOUT).until(receiving::isLive);
  }

  @Test
  void aMissedNumberTheLogNoLongerHoldsIsALossReportedBeforeWhatFollows() throws Exception {
    RedisBus receiving = bus(RedisTestSupport.URI, Duration.ofMillis(200));
    RedisBus publishing = bus(RedisTestSupport.URI, Duration.ofMillis(200));
    Heard heard = new Heard();
    receiving.subscribe(heard);
    RedisCommands<String, String> admin = admin(RedisTestSupport.URI);
    publish(publishing, "before");
    await().atMost(TIMEOUT).until(() -> heard.signals().contains("before"));

    unpublished(admin, receiving, UNPUBLISHED_AND_GONE, "gone before anyone read it");
    publish(publishing, "after");

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(heard.signals()).contains("LOSS"));
    publish(publishing, "reported");
    await().atMost(TIMEOUT).until(() -> heard.signals().contains("reported"));
    List<String> signals = heard.signals();
    assertThat(signals).startsWith("before", "LOSS").doesNotContain("gone before anyone read it");
    assertThat(signals.indexOf("after")).as("in %s", signals).isNotEqualTo(1);
    await().atMost(TIMEOUT).until(receiving::isLive);
  }

  /** On a private Redis, so that commandstats count this fleet's commands only. */
  @Test
  void whenNothingIsMissingReceiversNeverReadTheLog() throws Exception {
    try (PrivateRedis redis = new PrivateRedis()) {
      RedisBus publishing = bus(redis.uri(), Duration.ofMillis(200));
      List<Heard> receivers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Heard heard = new Heard();
        bus(redis.uri(), Duration.ofMillis(200)).subscribe(heard);
        receivers.add(heard);
      }
      RedisCommands<String, String> admin = admin(redis.uri());
      Map<String, Long> before = RedisTestSupport.commandCalls(admin);
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        sent.add("{\"n\":" + i + "}");
        publish(publishing, sent.get(i));
      }
      for (Heard heard : receivers) {
        await().atMost(TIMEOUT).until(() -> heard.signals().size() == sent.size());
        assertThat(heard.signals()).containsExactlyElementsOf(sent);
      }
      Map<String, Long> after = RedisTestSupport.commandCalls(admin);
      assertThat(RedisTestSupport.delta(before, after, "xread")).isZero();
      assertThat(RedisTestSupport.delta(before, after, "xrange")).isZero();
      assertThat(RedisTestSupport.delta(before, after, "publish"))
          .as("one per event, plus heartbeats")
          .isGreaterThanOrEqualTo(sent.size());
    }
  }
}
