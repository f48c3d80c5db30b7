package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.BusContractKit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The bus kit over Redis standalone, as built by default (channel and stream): each connection a
 * RedisBus of its own, standing for one process.
 */
class RedisBusContractIT extends BusContractKit {

  /** How the bus is built beyond its URI, namespace and key prefix; a subclass may add settings. */
  RedisBusBuilder configure(RedisBusBuilder builder) {
    return builder;
  }

  @Override
  protected InvalidationBus connect(String namespace) {
    return configure(RedisBus.builder(RedisTestSupport.URI, namespace).keyPrefix("fctest")).build();
  }

  @Override
  protected boolean induceLoss(InvalidationBus bus) {
    StreamLoss.induce((RedisBus) bus, List.of(RedisTestSupport.URI));
    return true;
  }

  @AfterEach
  void deleteTheLog() {
    RedisTestSupport.deleteMatching("fctest:{" + namespace() + "}:*");
  }
}
