package io.freshcache.rabbitmq;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.InvalidationContractKit;
import io.freshcache.test.KitInstance;
import org.junit.jupiter.api.AfterEach;

/**
 * The fleet contract kit, unchanged, over RabbitMQ: each of the four instances has its own bus,
 * with its own connection and queue, standing for four processes.
 */
class RabbitInvalidationContractIT extends InvalidationContractKit {

  @Override
  protected InvalidationBus connect(String namespace) {
    return RabbitBus.builder(RabbitTestSupport.URI, namespace)
        .exchangePrefix(RabbitTestSupport.PREFIX)
        .build();
  }

  @AfterEach
  void deleteTheExchange() {
    fleet.forEach(KitInstance::close); // first, or a live bus would declare the exchange again
    connections.forEach(InvalidationBus::close);
    RabbitTestSupport.deleteExchange(RabbitTestSupport.PREFIX + namespace);
  }
}
