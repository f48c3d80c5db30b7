package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.InvalidationContractKit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The fleet contract kit, unchanged, over Redis: each of the four instances has its own bus, with
 * its own connections, standing for four processes.
 */
class RedisInvalidationContractIT extends InvalidationContractKit {

  private final List<String> streams = new ArrayList<>();

  @Override
  protected InvalidationBus connect(String namespace) {
    RedisBus bus = RedisBus.builder(RedisTestSupport.URI, namespace).keyPrefix("fctest").build();
    streams.add(bus.streamKey());
    return bus;
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
