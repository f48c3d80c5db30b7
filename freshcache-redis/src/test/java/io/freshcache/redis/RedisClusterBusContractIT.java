package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.BusContractKit;

/**
 * The bus kit over a private three-master Redis Cluster ({@link PrivateRedisCluster#shared}): each
 * connection a cluster RedisBus of its own. Dropped with the JVM: nothing to clean up.
 */
class RedisClusterBusContractIT extends BusContractKit {

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
  protected boolean induceLoss(InvalidationBus bus) {
    StreamLoss.induce((RedisBus) bus, PrivateRedisCluster.shared().nodeUris());
    return true;
  }
}
