package io.freshcache.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.test.KafkaBroker;
import io.freshcache.test.RecordingReceiver;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A bus built while its broker is down starts detached and attaches once the broker runs: on a
 * broker of its own, stopped before the bus is built and started after.
 */
class KafkaDetachedStartIT {

  @Test
  void aBusBuiltBeforeItsBrokerRunsAttachesWhenItStartsAndReportsALoss() {
    String namespace = "detached-" + Long.toString(System.nanoTime(), 36);
    try (KafkaBroker broker = KafkaBroker.start()) {
      broker.stop();
      KafkaBusBuilder builder =
          KafkaBus.builder(broker.bootstrap(), namespace)
              .topicPrefix(KafkaTestSupport.PREFIX)
              .connectTimeout(Duration.ofSeconds(2));
      try (KafkaBus late = builder.build()) {
        RecordingReceiver signals = new RecordingReceiver();
        late.subscribe(signals);
        assertThat(late.isAttached()).isFalse();
        assertThat(late.isLive()).as("nothing is trusted while detached").isFalse();
        assertThat(late.publish("kit.fault", "early")).isCompletedExceptionally();

        broker.restart();

        await().atMost(KafkaBusFaultIT.WAIT).until(() -> late.isAttached() && late.isLive());
        assertThat(signals.losses()).as("what it loaded while detached may be stale").isEqualTo(1);
        try (KafkaBus other =
            KafkaBus.builder(broker.bootstrap(), namespace)
                .topicPrefix(KafkaTestSupport.PREFIX)
                .build()) {
          other.publish("kit.fault", "after").join();
          await().atMost(KafkaBusFaultIT.WAIT).until(() -> signals.messages().contains("after"));
        }
      }
    }
  }
}
