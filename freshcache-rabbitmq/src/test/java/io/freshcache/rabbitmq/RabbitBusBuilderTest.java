package io.freshcache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad configuration fails in the builder, in one line that names the problem and the fix. */
class RabbitBusBuilderTest {

  @Test
  void aBadUriSaysWhatAnAmqpUriLooksLike() {
    for (String uri : new String[] {"redis://127.0.0.1:6379", "not a uri", "amqp://"}) {
      assertThatThrownBy(() -> RabbitBus.builder(uri, "shop"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not an AMQP URI")
          .hasMessageContaining("use amqp://[user:password@]host[:port][/vhost]");
    }
  }

  @Test
  void aBadNamespaceOrPrefixIsRefused() {
    assertThatThrownBy(() -> RabbitBus.builder("amqp://127.0.0.1", "no spaces"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> RabbitBus.builder("amqp://127.0.0.1", "shop").exchangePrefix("amq."))
        .hasMessageContaining("reserved by RabbitMQ");
    assertThatThrownBy(
            () ->
                RabbitBus.builder("amqp://127.0.0.1", "shop").stalenessBound(Duration.ofMillis(1)))
        .hasMessageContaining("at least 20 ms");
  }

  @Test
  void aSettingGivenTwiceIsRefused() {
    RabbitBusBuilder builder = RabbitBus.builder("amqp://127.0.0.1", "shop").queueMaxLength(50);
    assertThatThrownBy(() -> builder.queueMaxLength(60))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("queueMaxLength was already set to 50");
  }

  @Test
  void aBuilderWithoutANamespaceIsForAGroup() {
    assertThatThrownBy(() -> RabbitBus.builder("amqp://127.0.0.1").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("hand it to a group");
    assertThatThrownBy(() -> RabbitBus.builder("amqp://127.0.0.1", "shop").open("other"))
        .hasMessageContaining("is for namespace 'shop', not 'other'");
  }

  @Test
  void anUnreachableBrokerFailsAFailFastBuildSayingWhere() {
    assertThatThrownBy(
            () -> RabbitBus.builder("amqp://127.0.0.1:1", "shop").failFast(true).build().close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not connect the invalidation bus to RabbitMQ at 127.0.0.1:1")
        .hasMessageContaining("without .failFast(true) to start detached");
  }

  @Test
  void anUnreachableBrokerOtherwiseStartsDetachedAndRefusesToVouch() {
    try (RabbitBus bus = RabbitBus.builder("amqp://127.0.0.1:1", "shop").build()) {
      assertThat(bus.isAttached()).isFalse();
      assertThat(bus.isLive()).isFalse();
      assertThat(bus.publish("user.updated", "{}")).isCompletedExceptionally();
    }
  }
}
