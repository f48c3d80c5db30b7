package io.freshcache.redis;

import io.freshcache.spi.SharedTier;
import io.freshcache.test.SharedTierContractKit;
import java.time.Duration;

/**
 * The shared-tier kit over a private three-master Redis Cluster ({@link
 * PrivateRedisCluster#shared}): each connection a cluster RedisSharedTier of its own. Dropped with
 * the JVM: nothing to clean up.
 */
class RedisClusterSharedTierContractIT extends SharedTierContractKit {

  @Override
  protected SharedTier connect(String namespace) {
    return RedisSharedTier.builder(PrivateRedisCluster.shared().uri(), namespace)
        .keyPrefix("fctest")
        .cluster(true)
        .commandTimeout(Duration.ofSeconds(2))
        .build();
  }
}
