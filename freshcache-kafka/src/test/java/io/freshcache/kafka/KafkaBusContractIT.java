package io.freshcache.kafka;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.BusContractKit;
import io.freshcache.test.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The bus kit, unchanged, over a real Kafka broker: each connection a KafkaBus of its own, standing
 * for one process. A loss is induced as retention would cause it: the bus's reader is held while a
 * record is written and then deleted from the log before it was read.
 */
class KafkaBusContractIT extends BusContractKit {

  private final List<KafkaBus> buses = new ArrayList<>();

  @Override
  protected InvalidationBus connect(String namespace) {
    KafkaBus bus =
        KafkaBus.builder(KafkaBroker.shared().bootstrap(), namespace)
            .topicPrefix(KafkaTestSupport.PREFIX)
            .build();
    buses.add(bus);
    return bus;
  }

  @Override
  protected boolean induceLoss(InvalidationBus bus) {
    KafkaTestSupport.deleteUnread((KafkaBus) bus);
    return true;
  }

  @AfterEach
  void deleteTheTopic() {
    buses.forEach(KafkaBus::close);
    KafkaTestSupport.deleteTopic(KafkaTestSupport.PREFIX + namespace());
  }
}
