package io.freshcache.redis;

import io.freshcache.spi.SharedTier;
import io.freshcache.test.SharedTierContractKit;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared-tier kit over Redis standalone: each connection a RedisSharedTier of its own, standing
 * for one instance. What the tier does beyond the contract is in {@link RedisSharedTierIT}.
 */
class RedisSharedTierContractIT extends SharedTierContractKit {

  @Override
  protected SharedTier connect(String namespace) {
    return RedisSharedTier.builder(RedisTestSupport.URI, namespace)
        .keyPrefix("fctest")
        .commandTimeout(Duration.ofSeconds(2))
        .build();
  }

  @AfterEach
  void deleteKeys() {
    RedisTestSupport.deleteMatching("fctest:{" + namespace() + "}:*");
  }
}
