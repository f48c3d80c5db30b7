package io.freshcache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.event.EventCodec;
import io.freshcache.test.RecordingReceiver;
import io.freshcache.test.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RabbitMQ bus under faults, on the real broker: a connection closed by the server, a queue
 * deleted, a slow consumer whose queue overflows, a publisher whose sequence skips, malformed and
 * oversized messages, and plain AMQP publishers that know only the wire format.
 */
class RabbitBusFaultIT {

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private String namespace;
  private String exchange;

  @BeforeEach
  void name() {
    namespace = "fault-" + COUNT.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    exchange = RabbitTestSupport.PREFIX + namespace;
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    RabbitTestSupport.deleteExchange(exchange);
  }

  private RabbitBusBuilder builder() {
    return RabbitBus.builder(RabbitTestSupport.URI, namespace)
        .exchangePrefix(RabbitTestSupport.PREFIX);
  }

  private RabbitBus bus() {
    return open(builder().build());
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  /** One instance: a group on a bus of its own, with one cache of users. */
  private final class Instance {
    final RabbitBus bus = bus();
    final CacheGroup group = open(CacheGroup.builder(namespace).bus(bus).build());
    final FreshCache<String, String> users =
        group
            .cache("users", String.class, String.class)
            .keyPrefix("user:")
            .source(id -> "user" + id)
            .build();

    boolean held(String id) {
      return users.analytics().key(id).isPresent();
    }
  }

  private static String seedDelete(String... keys) {
    return "{\"type\": \"user.updated\", \"timestamp\": 81235.5, \"payload\": {\"type\": \"delete\","
        + " \"keys\": [\""
        + String.join("\", \"", keys)
        + "\"], \"user_id\": 8}}";
  }

  // ---------------------------------------------------------------- losses

  @Test
  void aConnectionClosedByTheServerClearsTheInstanceAndItReconnects() {
    Instance cut = new Instance();
    Instance other = new Instance();
    cut.users.get("1");
    String queueBefore = cut.bus.queueName();

    RabbitTestSupport.closeConnection(cut.bus);

    // The queue went with the connection: whatever was published meanwhile never reached it, so
    // the instance clears what it holds (a loss) and reads again once it has a new queue.
    await().atMost(WAIT).until(() -> cut.group.stats().losses() == 1);
    assertThat(cut.held("1")).isFalse();
    await().atMost(WAIT).until(() -> cut.bus.isAttached() && cut.bus.isLive());
    assertThat(cut.bus.queueName()).isNotEqualTo(queueBefore);
    cut.users.get("2");
    other.group.invalidateKeys("user:2");
    await().atMost(WAIT).until(() -> !cut.held("2"));
    assertThat(other.group.stats().losses()).isZero();
  }

  @Test
  void aBusBuiltWhileTheBrokerIsUnreachableAttachesOnceItAnswersAndReportsALoss() throws Exception {
    try (TcpProxy proxy = new TcpProxy(0, 5672)) {
      proxy.refuse(true);
      RabbitBus late =
          open(
              RabbitBus.builder("amqp://guest:guest@127.0.0.1:" + proxy.port(), namespace)
                  .exchangePrefix(RabbitTestSupport.PREFIX)
                  .build());
      RecordingReceiver signals = new RecordingReceiver();
      late.subscribe(signals);
      assertThat(late.isAttached()).isFalse();
      assertThat(late.isLive()).isFalse();
      assertThat(late.publish("kit.fault", "early")).isCompletedExceptionally();

      proxy.refuse(false);

      await().atMost(WAIT).until(() -> late.isAttached() && late.isLive());
      assertThat(signals.losses()).as("what it loaded while detached may be stale").isEqualTo(1);
      // A bus built on a busy machine may start detached (its first connection timed out) and
      // attach a second later; its publishes fail until then: send until one went out.
      RabbitBus publisher = bus();
      await().atMost(WAIT).until(() -> sent(publisher, "after"));
      await().atMost(WAIT).until(() -> signals.messages().contains("after"));
    }
  }

  @Test
  void aDeletedQueueIsALossAndTheBusDeclaresANewOne() {
    RabbitBus bus = bus();
    RecordingReceiver signals = new RecordingReceiver();
    bus.subscribe(signals);
    String queue = bus.queueName();

    RabbitTestSupport.deleteQueue(queue);

    await().atMost(WAIT).until(() -> signals.losses() == 1);
    await().atMost(WAIT).until(() -> bus.isAttached() && !queue.equals(bus.queueName()));
    bus.publish("kit.fault", "after").join();
    await().atMost(WAIT).until(() -> signals.messages().contains("after"));
  }

  @Test
  void aSkippedPublisherSequenceIsALossReportedBeforeTheMessageThatRevealsIt() {
    RabbitBus bus = bus();
    RecordingReceiver signals = new RecordingReceiver();
    bus.subscribe(signals);
    for (long seq : new long[] {1, 2, 4}) {
      RabbitTestSupport.publishPlain(
          exchange,
          "kit.fault",
          ("seq-" + seq).getBytes(StandardCharsets.UTF_8),
          Map.of(RabbitBus.PUBLISHER_HEADER, "another-instance", RabbitBus.SEQUENCE_HEADER, seq));
    }
    await().atMost(WAIT).until(() -> signals.messages().size() == 3);
    assertThat(signals.calls()).containsExactly("m:seq-1", "m:seq-2", "loss", "m:seq-4");
  }

  /** Publishes {@code count} plain messages (no freshcache headers) and waits for the confirms. */
  private void flood(int count) throws Exception {
    try (Connection connection = RabbitTestSupport.plainConnection();
        Channel channel = connection.createChannel()) {
      channel.confirmSelect();
      for (int i = 0; i < count; i++) {
        channel.basicPublish(
            exchange, "kit.flood", null, ("flood-" + i).getBytes(StandardCharsets.UTF_8));
      }
      channel.waitForConfirmsOrDie(10_000);
    }
  }

  @Test
  void aSlowConsumerStopsVouchingWithinTheBoundAndCatchesUpWithoutLoss() throws Exception {
    RabbitBus slow = bus();
    CountDownLatch release = new CountDownLatch(1);
    RecordingReceiver signals = new RecordingReceiver(release);
    slow.subscribe(signals);
    flood(50);

    // Blocked on the first message, the instance hears its heartbeats only behind the backlog: it
    // stops vouching within δ, though the connection is fine.
    await().atMost(WAIT).until(() -> !slow.isLive() && !signals.trusted());
    release.countDown();

    await().atMost(WAIT).until(() -> signals.messages().size() == 50 && slow.isLive());
    assertThat(signals.messages()).startsWith("flood-0").endsWith("flood-49");
    assertThat(signals.losses()).isZero();
  }

  @Test
  void anOverflowOfTheQueueIsALossEvenWhenOnlyPlainMessagesWereDropped() throws Exception {
    // A long δ: no heartbeat of the instance's own is in the queue to reveal a gap in its sequence,
    // so only the queue's dropped messages can tell.
    RabbitBus slow =
        open(builder().queueMaxLength(10).stalenessBound(Duration.ofSeconds(60)).build());
    CountDownLatch release = new CountDownLatch(1);
    RecordingReceiver signals = new RecordingReceiver(release);
    slow.subscribe(signals);
    flood(600);
    release.countDown();

    await().atMost(WAIT).until(() -> signals.losses() >= 1);
    assertThat(signals.messages()).hasSizeLessThan(600).startsWith("flood-0");
  }

  // ---------------------------------------------------------------- bad messages

  @Test
  void malformedAndOversizedMessagesAreRefusedAndChangeNothing() {
    Instance a = new Instance();
    Instance b = new Instance();
    for (Instance instance : List.of(a, b)) {
      instance.users.get("0");
      instance.users.get("1");
    }
    byte[] notUtf8 = {'{', (byte) 0xff, (byte) 0xfe, '}'};
    byte[] oversized = new byte[RabbitBus.MAX_BODY_BYTES + 1];
    Arrays.fill(oversized, (byte) 'a');
    byte[] tooLong = "x".repeat(EventCodec.MAX_MESSAGE_CHARS + 1).getBytes(StandardCharsets.UTF_8);
    RabbitTestSupport.publishPlain(exchange, "user.updated", notUtf8);
    RabbitTestSupport.publishPlain(exchange, "user.updated", oversized);
    RabbitTestSupport.publishPlain(exchange, "user.updated", tooLong);
    RabbitTestSupport.publishPlain(exchange, "user.updated", "{\"type\": \"user.updated\"}");
    RabbitTestSupport.publishPlain(exchange, "user.updated", seedDelete("user:0"));

    for (Instance instance : List.of(a, b)) {
      await().atMost(WAIT).until(() -> !instance.held("0"));
      assertThat(instance.bus.refused()).as("refused unread by the bus").isEqualTo(2);
      assertThat(instance.group.stats().malformed()).as("refused by the codec").isEqualTo(2);
      assertThat(instance.held("1")).isTrue();
      assertThat(instance.bus.isAttached()).isTrue();
    }
  }

  // ---------------------------------------------------------------- plain publishers and consumers

  @Test
  void aPlainAmqpPublishOfASeedEventInvalidatesTheNamedKeysOnEveryInstance() {
    List<Instance> fleet = List.of(new Instance(), new Instance(), new Instance());
    for (Instance instance : fleet) {
      for (String id : List.of("7", "8", "9")) {
        instance.users.get(id);
      }
    }

    RabbitTestSupport.publishPlain(exchange, "user.updated", seedDelete("user:8", "user:9"));

    for (Instance instance : fleet) {
      await().atMost(WAIT).until(() -> !instance.held("8") && !instance.held("9"));
      assertThat(instance.held("7")).isTrue();
      assertThat(instance.group.stats().losses()).isZero();
    }
  }

  @Test
  void routingKeysAreEventTypesSoAnotherConsumerCanBindAWildcard() throws Exception {
    Instance instance = new Instance();
    try (Connection connection = RabbitTestSupport.plainConnection();
        Channel channel = connection.createChannel()) {
      String queue = channel.queueDeclare().getQueue();
      channel.queueBind(queue, exchange, "user.*");

      instance.group.invalidateKeys("user:1"); // a freshcache event of its own type
      instance.group.publish(
          "product.price_changed", io.freshcache.event.Invalidation.keys("product:1"), Map.of());
      instance.group.publish(
          "user.updated", io.freshcache.event.Invalidation.keys("user:2"), Map.of("user_id", 2));

      await()
          .atMost(WAIT)
          .until(
              () -> {
                var got = channel.basicGet(queue, true);
                return got != null
                    && got.getEnvelope().getRoutingKey().equals("user.updated")
                    && new String(got.getBody(), StandardCharsets.UTF_8).contains("\"user:2\"");
              });
      assertThat(channel.messageCount(queue)).isZero(); // nothing else matched user.*
    }
  }

  /** Whether {@code bus} published {@code message}: false if it failed (it is not attached). */
  private static boolean sent(RabbitBus bus, String message) {
    try {
      bus.publish("kit.fault", message).join();
      return true;
    } catch (java.util.concurrent.CompletionException detached) {
      return false;
    }
  }
}
