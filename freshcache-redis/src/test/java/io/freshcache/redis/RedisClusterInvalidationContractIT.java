package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedTier;
import io.freshcache.test.InvalidationContractKit;

/**
 * The fleet contract kit, unchanged, over a local three-master Redis Cluster that the tests start
 * from the installed redis-server ({@link PrivateRedisCluster#shared}): every instance's bus and
 * shared tier are cluster clients of their own. (The cluster is private to the tests and dropped
 * with the JVM: nothing to clean up.)
 */
class RedisClusterInvalidationContractIT extends InvalidationContractKit {

  /** How the bus is built beyond its URI, namespace, key prefix and cluster mode. */
  RedisBusBuilder configure(RedisBusBuilder builder) {
    return builder;
  }

  @Override
  protected InvalidationBus connect(String namespace) {
    return configure(
            RedisBus.builder(PrivateRedisCluster.shared().uri(), namespace)
                .keyPrefix("fctest")
                .cluster(true))
        .build();
  }

  @Override
  protected SharedTier sharedTier(String namespace) {
    return RedisSharedTier.builder(PrivateRedisCluster.shared().uri(), namespace)
        .keyPrefix("fctest")
        .cluster(true)
        .build();
  }
}
