package io.freshcache.rabbitmq;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.BusContractKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The bus kit, unchanged, over RabbitMQ: each connection a RabbitBus of its own, standing for one
 * process. A loss is induced by closing the bus's connection from the server side.
 */
class RabbitBusContractIT extends BusContractKit {

  private final List<RabbitBus> buses = new ArrayList<>();

  @Override
  protected InvalidationBus connect(String namespace) {
    RabbitBus bus =
        RabbitBus.builder(RabbitTestSupport.URI, namespace)
            .exchangePrefix(RabbitTestSupport.PREFIX)
            .build();
    buses.add(bus);
    return bus;
  }

  @Override
  protected boolean induceLoss(InvalidationBus bus) {
    RabbitTestSupport.closeConnection((RabbitBus) bus);
    return true;
  }

  @AfterEach
  void deleteTheExchange() {
    buses.forEach(RabbitBus::close); // first, or a live bus would declare the exchange again
    RabbitTestSupport.deleteExchange(RabbitTestSupport.PREFIX + namespace());
  }
}
