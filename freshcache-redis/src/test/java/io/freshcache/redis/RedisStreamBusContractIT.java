package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.BusContractKit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The bus kit over Redis standalone with channel delivery off: the stream is the only path, so a
 * loss in it is the bus's only way to lose.
 */
class RedisStreamBusContractIT extends BusContractKit {

  private final List<String> streams = new ArrayList<>();

  @Override
  protected InvalidationBus connect(String namespace) {
    RedisBus bus =
        RedisBus.builder(RedisTestSupport.URI, namespace)
            .keyPrefix("fctest")
            .channelDelivery(false)
            .build();
    streams.add(bus.streamKey());
    return bus;
  }

  @Override
  protected boolean induceLoss(InvalidationBus bus) {
    return StreamLoss.induceUnlessKnownGap((RedisBus) bus, List.of(RedisTestSupport.URI));
  }

  @AfterEach
  void deleteStreams() {
    RedisClient client = RedisTestSupport.plainClient(RedisTestSupport.URI);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      admin.sync().del(streams.toArray(String[]::new));
    } finally {
      client.shutdown();
    }
  }
}
