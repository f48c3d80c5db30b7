package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedTier;
import io.freshcache.test.InvalidationContractKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The fleet contract kit, unchanged, over a local three-master Redis Cluster that the test starts
 * from the installed redis-server: every instance's bus and shared tier are cluster clients of
 * their own. (The cluster is private to the test and dropped afterwards: nothing to clean up.)
 */
class RedisClusterInvalidationContractIT extends InvalidationContractKit {

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
  protected InvalidationBus connect(String namespace) {
    return RedisBus.builder(cluster.uri(), namespace).keyPrefix("fctest").cluster(true).build();
  }

  @Override
  protected SharedTier sharedTier(String namespace) {
    return RedisSharedTier.builder(cluster.uri(), namespace)
        .keyPrefix("fctest")
        .cluster(true)
        .build();
  }
}
