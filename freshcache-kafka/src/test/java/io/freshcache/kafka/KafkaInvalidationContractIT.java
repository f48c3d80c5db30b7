package io.freshcache.kafka;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.InvalidationContractKit;
import io.freshcache.test.KafkaBroker;
import io.freshcache.test.KitInstance;
import org.junit.jupiter.api.AfterEach;

/**
 * The fleet contract kit, unchanged, over a real Kafka broker: each of the four instances has its
 * own bus, with its own producer and consumer, standing for four processes.
 */
class KafkaInvalidationContractIT extends InvalidationContractKit {

  @Override
  protected InvalidationBus connect(String namespace) {
    return KafkaBus.builder(KafkaBroker.shared().bootstrap(), namespace)
        .topicPrefix(KafkaTestSupport.PREFIX)
        .build();
  }

  @AfterEach
  void deleteTheTopic() {
    fleet.forEach(KitInstance::close);
    connections.forEach(InvalidationBus::close);
    KafkaTestSupport.deleteTopic(KafkaTestSupport.PREFIX + namespace);
  }
}
