package io.freshcache.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.event.EventCodec;
import io.freshcache.test.KafkaBroker;
import io.freshcache.test.RecordingReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka bus under faults, on a real broker: the network to the broker cut, records deleted
 * before an instance read them, a slow consumer, malformed and oversized records, and a plain
 * producer that knows only the wire format. The broker stopped and started again is in {@link
 * KafkaBrokerRestartIT}, on a broker of its own.
 */
class KafkaBusFaultIT {

  private static final AtomicInteger COUNT = new AtomicInteger();
  static final Duration WAIT = Duration.ofSeconds(30);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final KafkaBroker broker = KafkaBroker.shared();
  private String namespace;
  private String topic;

  @BeforeEach
  void name() {
    namespace = "fault-" + COUNT.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    topic = KafkaTestSupport.PREFIX + namespace;
  }

  @AfterEach
  void cleanUp() throws Exception {
    broker.partition(false);
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    KafkaTestSupport.deleteTopic(topic);
  }

  private KafkaBus bus() {
    return open(
        KafkaBus.builder(broker.bootstrap(), namespace)
            .topicPrefix(KafkaTestSupport.PREFIX)
            .build());
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  /** One instance: a group on a bus of its own, with one cache of users. */
  final class Instance {
    final KafkaBus bus = bus();
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

  static String seedDelete(String... keys) {
    return "{\"type\": \"user.updated\", \"timestamp\": 81235.5, \"payload\": {\"type\": \"delete\","
        + " \"keys\": [\""
        + String.join("\", \"", keys)
        + "\"], \"user_id\": 8}}";
  }

  // ---------------------------------------------------------------- the network and the log

  @Test
  void aCutNetworkSuspendsHitsWithinTheBoundAndTheInstanceCatchesUpWithoutALoss() {
    Instance writer = new Instance();
    Instance reader = new Instance();
    reader.users.get("1");
    assertThat(reader.bus.isLive()).isTrue();

    broker.partition(true);
    // Nothing comes back from the broker: within δ the reader no longer vouches for its entries.
    await()
        .during(Duration.ofMillis(500))
        .atMost(WAIT)
        .until(() -> !reader.bus.isLive() && !writer.bus.isLive());
    writer.group.invalidateKeys("user:1"); // cannot be sent: kept in the writer's outbox
    broker.partition(false);

    // Both reconnect on their own; the writer's outbox sends, the reader reads on from its
    // position.
    await().atMost(WAIT).until(() -> !reader.held("1"));
    await().atMost(WAIT).until(() -> reader.bus.isLive() && writer.bus.isLive());
    assertThat(reader.group.stats().losses()).isZero();
    assertThat(reader.bus.losses()).isZero();
  }

  @Test
  void recordsDeletedBeforeAnInstanceReadThemAreALossThatClearsIt() {
    Instance writer = new Instance();
    Instance reader = new Instance();
    reader.users.get("1");
    reader.users.get("2");

    reader.bus.holdReading(true); // a stalled consumer, while retention runs
    writer.group.invalidateKeys("user:1");
    KafkaTestSupport.deleteAllRecords(broker, topic);
    reader.bus.holdReading(false);

    await().atMost(WAIT).until(() -> reader.group.stats().losses() == 1);
    assertThat(reader.held("2")).as("cleared by the loss, though nobody invalidated it").isFalse();
    reader.users.get("3");
    writer.group.invalidateKeys("user:3");
    await().atMost(WAIT).until(() -> !reader.held("3")); // reading on after the loss
  }

  @Test
  void aSlowConsumerStopsVouchingWithinTheBoundAndCatchesUpInOrder() {
    KafkaBus publisher = bus();
    KafkaBus slow = bus();
    CountDownLatch release = new CountDownLatch(1);
    RecordingReceiver signals = new RecordingReceiver(release);
    slow.subscribe(signals);
    for (int i = 0; i < 50; i++) {
      publisher.publish("kit.flood", "flood-" + i);
    }
    assertThat(publisher.flush(WAIT)).isTrue();

    await().atMost(WAIT).until(() -> !slow.isLive() && !signals.trusted());
    release.countDown();

    await().atMost(WAIT).until(() -> signals.messages().size() == 50 && slow.isLive());
    assertThat(signals.messages()).startsWith("flood-0").endsWith("flood-49");
    assertThat(signals.losses()).isZero();
    assertThat(slow.recordsBehind()).isZero();
  }

  // ---------------------------------------------------------------- bad records

  @Test
  void malformedAndOversizedRecordsAreRefusedAndChangeNothing() {
    Instance a = new Instance();
    Instance b = new Instance();
    for (Instance instance : List.of(a, b)) {
      instance.users.get("0");
      instance.users.get("1");
    }
    byte[] oversized = new byte[KafkaBus.MAX_VALUE_BYTES + 1];
    Arrays.fill(oversized, (byte) 'a');
    KafkaTestSupport.sendPlain(
        broker, topic, null, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});
    KafkaTestSupport.sendPlain(broker, topic, "user:1".getBytes(StandardCharsets.UTF_8), null);
    KafkaTestSupport.sendPlain(broker, topic, null, oversized);
    KafkaTestSupport.sendPlain(broker, topic, "x".repeat(EventCodec.MAX_MESSAGE_CHARS + 1));
    KafkaTestSupport.sendPlain(broker, topic, "{\"type\": \"user.updated\"}");
    KafkaTestSupport.sendPlain(broker, topic, seedDelete("user:0"));

    for (Instance instance : List.of(a, b)) {
      await().atMost(WAIT).until(() -> !instance.held("0"));
      assertThat(instance.bus.refused()).as("refused unread by the bus").isEqualTo(3);
      assertThat(instance.group.stats().malformed()).as("refused by the codec").isEqualTo(2);
      assertThat(instance.held("1")).isTrue();
      assertThat(instance.bus.isLive()).isTrue();
    }
  }

  // ---------------------------------------------------------------- plain producers

  @Test
  void aPlainKafkaProducerSendingASeedEventInvalidatesTheNamedKeysOnEveryInstance() {
    List<Instance> fleet = List.of(new Instance(), new Instance(), new Instance());
    for (Instance instance : fleet) {
      for (String id : List.of("7", "8", "9")) {
        instance.users.get(id);
      }
    }

    // Keyed by the row, as a change-data-capture connector would key it.
    KafkaTestSupport.sendPlain(
        broker,
        topic,
        "user:8".getBytes(StandardCharsets.UTF_8),
        seedDelete("user:8", "user:9").getBytes(StandardCharsets.UTF_8));

    for (Instance instance : fleet) {
      await().atMost(WAIT).until(() -> !instance.held("8") && !instance.held("9"));
      assertThat(instance.held("7")).isTrue();
      assertThat(instance.group.stats().losses()).isZero();
    }
  }

  @Test
  void propagationLagIsRecordedForEveryEventFromAnotherInstance() {
    Instance writer = new Instance();
    Instance reader = new Instance();
    for (int i = 0; i < 20; i++) {
      reader.users.get(String.valueOf(i));
      writer.group.invalidateKeys("user:" + i);
    }
    await().atMost(WAIT).until(() -> reader.group.stats().lag().count() == 20);
    assertThat(reader.group.stats().lag().p99Micros()).isPositive();
    assertThat(reader.bus.recordsBehind()).isZero();
  }
}
