package io.freshcache.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad configuration fails in the builder, in one line that names the problem and the fix. */
class KafkaBusBuilderTest {

  @Test
  void badBootstrapServersSayWhatTheyShouldLookLike() {
    for (String servers : new String[] {"kafka://host:9092", "host", "host:port", "", "a:1,b"}) {
      assertThatThrownBy(() -> KafkaBus.builder(servers, "shop"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a list of Kafka bootstrap servers")
          .hasMessageContaining("use host:port[,host:port...]");
    }
  }

  @Test
  void aNamespaceThatCannotNameATopicIsRefused() {
    assertThatThrownBy(() -> KafkaBus.builder("127.0.0.1:9092", "shop:eu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "namespace 'shop:eu' cannot name a Kafka topic: use letters, digits, '.', '_' and '-'"
                + " only (no ':')");
    assertThatThrownBy(() -> KafkaBus.builder("127.0.0.1:9092").open("shop:eu"))
        .hasMessageContaining("cannot name a Kafka topic");
    assertThatThrownBy(() -> KafkaBus.builder("127.0.0.1:9092", "no spaces"))
        .hasMessageContaining("namespace");
  }

  @Test
  void settingsAreCheckedAndGivenOnce() {
    KafkaBusBuilder builder = KafkaBus.builder("127.0.0.1:9092", "shop").partitions(3);
    assertThatThrownBy(() -> builder.partitions(4)).hasMessage("partitions was already set to 3");
    assertThatThrownBy(() -> builder.stalenessBound(Duration.ofMillis(5)))
        .hasMessageContaining("at least 20 ms");
    assertThatThrownBy(() -> builder.topicPrefix("bad prefix")).hasMessageContaining("not valid");
    assertThatThrownBy(() -> KafkaBus.builder("127.0.0.1:9092").build())
        .hasMessageContaining("hand it to a group");
  }

  @Test
  void anUnreachableBrokerFailsAFailFastBuildSayingWhereAndWhatToCheck() {
    assertThatThrownBy(
            () ->
                KafkaBus.builder("127.0.0.1:1", "shop")
                    .connectTimeout(Duration.ofSeconds(1))
                    .failFast(true)
                    .build()
                    .close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not reach Kafka at 127.0.0.1:1 within PT1S")
        .hasMessageContaining("check bootstrapServers");
  }

  @Test
  void anUnreachableBrokerStartsTheBusDetachedByDefault() {
    try (KafkaBus bus =
        KafkaBus.builder("127.0.0.1:1", "shop").connectTimeout(Duration.ofSeconds(1)).build()) {
      assertThat(bus.isAttached()).isFalse();
      assertThat(bus.isLive()).isFalse();
      assertThat(bus.publish("kit.fault", "early")).isCompletedExceptionally();
    }
  }
}
