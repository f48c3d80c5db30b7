package io.freshcache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A broker that answers and refuses the bus fails the build, failFast or not. */
class RabbitBusRefusalIT {

  private static final String NAMESPACE = "refusal-" + Long.toString(System.nanoTime(), 36);

  @AfterEach
  void cleanUp() {
    RabbitTestSupport.deleteExchange(RabbitTestSupport.PREFIX + NAMESPACE);
  }

  @Test
  void wrongCredentialsFailTheBuild() {
    assertThatThrownBy(
            () ->
                RabbitBus.builder("amqp://guest:wrong@127.0.0.1:5672", NAMESPACE)
                    .exchangePrefix(RabbitTestSupport.PREFIX)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refused")
        .hasMessageNotContaining("start detached");
  }

  @Test
  void anExchangeOfTheSameNameButAnotherTypeFailsTheBuild() throws Exception {
    try (var connection = RabbitTestSupport.plainConnection()) {
      connection
          .createChannel()
          .exchangeDeclare(RabbitTestSupport.PREFIX + NAMESPACE, "fanout", true);
    }
    assertThatThrownBy(
            () ->
                RabbitBus.builder(RabbitTestSupport.URI, NAMESPACE)
                    .exchangePrefix(RabbitTestSupport.PREFIX)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exchange of that name but another type")
        .hasMessageContaining("choose another exchangePrefix");
  }
}
