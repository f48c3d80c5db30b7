package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.BusContractKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The bus kit over a private three-master Redis Cluster (see {@link PrivateRedisCluster}): each
 * connection a cluster RedisBus of its own. Dropped afterwards: nothing to clean up.
 */
class RedisClusterBusContractIT extends BusContractKit {

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
  protected boolean induceLoss(InvalidationBus bus) {
    List<String> nodes = new ArrayList<>();
    cluster.ports.forEach(port -> nodes.add("redis://127.0.0.1:" + port));
    return StreamLoss.induceUnlessKnownGap((RedisBus) bus, nodes);
  }
}
