package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedTier;
import io.freshcache.test.InvalidationContractKit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The fleet contract kit, unchanged, over Redis with the shared tier: each of the four instances
 * has its own bus and its own shared tier connection, standing for four processes that share
 * entries as well as invalidations.
 */
class RedisSharedInvalidationContractIT extends InvalidationContractKit {

  private final List<String> streams = new ArrayList<>();

  @Override
  protected InvalidationBus connect(String namespace) {
    RedisBus bus = RedisBus.builder(RedisTestSupport.URI, namespace).keyPrefix("fctest").build();
    streams.add(bus.streamKey());
    return bus;
  }

  @Override
  protected SharedTier sharedTier(String namespace) {
    return RedisSharedTier.builder(RedisTestSupport.URI, namespace).keyPrefix("fctest").build();
  }

  @AfterEach
  void deleteKeys() {
    RedisClient client = RedisTestSupport.plainClient(RedisTestSupport.URI);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      admin.sync().del(streams.toArray(String[]::new));
      List<String> tierKeys = new ArrayList<>();
      ScanIterator.scan(admin.sync(), ScanArgs.Builder.matches("fctest:{" + namespace + "}:*"))
          .forEachRemaining(tierKeys::add);
      if (!tierKeys.isEmpty()) {
        admin.sync().unlink(tierKeys.toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
  }
}
