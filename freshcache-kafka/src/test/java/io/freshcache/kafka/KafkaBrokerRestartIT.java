package io.freshcache.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.test.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker stopped and started again mid-run, on a broker of this test's own: instances stop
 * vouching within δ, the writer keeps its invalidations, and once the broker is back every instance
 * reads on from its position, without a loss (the log survived).
 */
class KafkaBrokerRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static FreshCache<String, String> users(CacheGroup group) {
    return group
        .cache("users", String.class, String.class)
        .keyPrefix("user:")
        .source(id -> "user" + id)
        .build();
  }

  @Test
  void aRestartedBrokerSuspendsHitsMeanwhileAndEveryInstanceReadsOnWithoutALoss() {
    String namespace = "restart-" + Long.toString(System.nanoTime(), 36);
    KafkaBusBuilder builder =
        KafkaBus.builder(broker.bootstrap()).topicPrefix(KafkaTestSupport.PREFIX);
    try (KafkaBus writerBus = builder.open(namespace);
        KafkaBus readerBus = builder.open(namespace);
        CacheGroup writer = CacheGroup.builder(namespace).bus(writerBus).build();
        CacheGroup reader = CacheGroup.builder(namespace).bus(readerBus).build()) {
      FreshCache<String, String> readerUsers = users(reader);
      users(writer);
      readerUsers.get("1");
      readerUsers.get("2");
      writer.invalidateKeys("user:1");
      await().atMost(WAIT).until(() -> readerUsers.analytics().key("1").isEmpty());

      broker.stop();
      // Not vouching, and staying so while the broker is down (not a flicker between two reads).
      await()
          .during(Duration.ofMillis(500))
          .atMost(WAIT)
          .until(() -> !readerBus.isLive() && !writerBus.isLive());
      writer.invalidateKeys("user:2"); // kept in the writer's outbox while the broker is down
      broker.restart();

      await().atMost(WAIT).until(() -> readerUsers.analytics().key("2").isEmpty());
      await().atMost(WAIT).until(() -> readerBus.isLive() && writerBus.isLive());
      assertThat(reader.stats().losses()).isZero();
      readerUsers.get("3");
      writer.invalidateKeys("user:3");
      await().atMost(WAIT).until(() -> readerUsers.analytics().key("3").isEmpty());
    }
  }
}
