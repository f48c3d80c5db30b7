package io.freshcache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker stopped and started again mid-run, on a RabbitMQ node of this test's own ({@link
 * PrivateRabbit}), stopped by {@code rabbitmqctl} or killed: every instance stops serving local
 * hits, the writer keeps what it writes in its outbox and its calls return, and once the broker is
 * back every instance attaches with a new queue and reports a loss (its old queue went with the
 * broker, and with it whatever was published meanwhile), clears, and reads the values written
 * during the outage; an invalidation made after reaches every instance.
 */
class RabbitBrokerRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static PrivateRabbit broker;

  private final String namespace = "restart-" + Long.toString(System.nanoTime(), 36);

  /** The source of truth: a key's value, "user<id>" until a write replaces it. */
  private final Map<String, String> source = new ConcurrentHashMap<>();

  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startBroker() {
    broker = PrivateRabbit.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void closeInstances() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  /** One instance: a group on a bus of its own on the private node, with one cache of users. */
  private final class Instance {
    final AtomicInteger loads = new AtomicInteger();
    final RabbitBus bus;
    final CacheGroup group;
    final FreshCache<String, String> users;

    Instance(String name) {
      bus = open(RabbitTestSupport.instanceBus(broker.uri(), namespace, name).build());
      group = open(CacheGroup.builder(namespace).bus(bus).instanceId(name).build());
      users =
          group
              .cache("users", String.class, String.class)
              .keyPrefix("user:")
              .source(
                  id -> {
                    loads.incrementAndGet();
                    return source.getOrDefault(id, "user" + id);
                  })
              .build();
    }

    boolean held(String id) {
      return users.analytics().key(id).isPresent();
    }

    @Override
    public String toString() {
      return group.stats().toString();
    }
  }

  /** How the broker goes down. */
  enum Outage {
    /** {@code rabbitmqctl stop}: the broker closes every connection, then exits. */
    STOPPED {
      @Override
      void apply(PrivateRabbit rabbit) {
        rabbit.stop();
      }
    },
    /** SIGKILL: nothing is closed by the broker; the connections are reset by the kernel. */
    KILLED {
      @Override
      void apply(PrivateRabbit rabbit) {
        rabbit.kill();
      }
    };

    abstract void apply(PrivateRabbit rabbit);
  }

  @ParameterizedTest
  @EnumSource(Outage.class)
  void aRestartedBrokerSuspendsHitsKeepsTheWritesAndEveryInstanceClearsAndReadsTheNewValues(
      Outage outage) {
    Instance writer = new Instance("writer");
    List<Instance> fleet = List.of(writer, new Instance("reader-1"), new Instance("reader-2"));
    List<String> queuesBefore = new ArrayList<>();
    for (Instance instance : fleet) {
      await().atMost(WAIT).until(() -> instance.bus.isAttached() && instance.bus.isLive());
      for (String id : List.of("1", "2", "3")) {
        assertThat(instance.users.get(id)).isEqualTo("user" + id);
        assertThat(instance.held(id)).isTrue();
      }
      queuesBefore.add(instance.bus.queueName());
    }

    outage.apply(broker);

    // No trust without the broker: every instance stops vouching, and a read of what it holds goes
    // to the source instead of being served from memory.
    for (Instance instance : fleet) {
      await().atMost(WAIT).until(() -> !instance.bus.isLive() && !instance.group.stats().live());
      int loads = instance.loads.get();
      assertThat(instance.users.get("1")).isEqualTo("user1");
      assertThat(instance.loads.get())
          .as("%s served a hit without the broker", instance)
          .isEqualTo(loads + 1);
      assertThat(instance.group.stats().suspensions()).isPositive();
    }
    // The writer writes on: the calls return, it reads its own writes, the events wait in its
    // outbox.
    source.put("2", "user2-written-during-the-outage");
    source.put("3", "user3-changed-during-the-outage");
    assertThatCode(
            () -> {
              writer.users.put("2", "user2-written-during-the-outage");
              writer.group.invalidateKeys("user:3");
            })
        .doesNotThrowAnyException();
    assertThat(writer.users.get("2")).isEqualTo("user2-written-during-the-outage");
    assertThat(writer.users.get("3")).isEqualTo("user3-changed-during-the-outage");
    assertThat(writer.bus.isAttached()).isFalse();
    assertThat(writer.group.stats().outboxDepth()).as("kept in the writer's outbox").isEqualTo(2);

    broker.restart();

    // Every instance attaches with a new queue and reports one loss: the old queue and whatever
    // was published to the exchange meanwhile are gone, so it clears what it holds.
    for (int i = 0; i < fleet.size(); i++) {
      Instance instance = fleet.get(i);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(instance.bus.isAttached() && instance.bus.isLive())
                    .as("%s attached again and vouching", instance.bus)
                    .isTrue();
                assertThat(instance.group.stats().losses())
                    .as("losses reported by %s", instance)
                    .isEqualTo(1);
              });
      assertThat(instance.bus.queueName()).isNotEqualTo(queuesBefore.get(i));
      for (String id : List.of("1", "2", "3")) {
        assertThat(instance.held(id)).as("%s cleared user:%s", instance, id).isFalse();
      }
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                writer.group.stats().outboxDepth() == 0
                    && writer.group.stats().outboxDelivered() == 2);

    // Nothing stale: every instance reads what was written during the outage.
    for (Instance instance : fleet) {
      assertThat(instance.users.get("2")).isEqualTo("user2-written-during-the-outage");
      assertThat(instance.users.get("3")).isEqualTo("user3-changed-during-the-outage");
      assertThat(instance.users.get("4")).isEqualTo("user4");
    }
    // And the bus carries invalidations again: one made now reaches every instance.
    source.put("4", "user4-after-the-restart");
    writer.users.put("4", "user4-after-the-restart");
    for (Instance instance : fleet) {
      await().atMost(WAIT).until(() -> instance == writer || !instance.held("4"));
      assertThat(instance.users.get("4")).isEqualTo("user4-after-the-restart");
      assertThat(instance.group.stats().losses()).as("%s", instance).isEqualTo(1);
    }
  }
}
