package io.freshcache.redis;

import io.freshcache.spi.SharedTier;
import io.freshcache.test.SharedTierContractKit;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared-tier kit over a private three-master Redis Cluster (see {@link PrivateRedisCluster}):
 * each connection a cluster RedisSharedTier of its own. Dropped afterwards: nothing to clean up.
 */
class RedisClusterSharedTierContractIT extends SharedTierContractKit {

  private static PrivateRedisCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new PrivateRedisCluster();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected SharedTier connect(String namespace) {
    return RedisSharedTier.builder(cluster.uri(), namespace)
        .keyPrefix("fctest")
        .cluster(true)
        .commandTimeout(Duration.ofSeconds(2))
        .build();
  }
}
