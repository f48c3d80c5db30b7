package io.freshcache;

import io.freshcache.spi.SharedTier;
import io.freshcache.test.SharedTierContractKit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared-tier kit over core's test double of the tier ({@link InMemorySharedTier}, from core's
 * test-jar; in this package because it is package-private there): core's unit tests lean on it
 * behaving as a tier must. Every connection of a namespace is the one map.
 */
class InMemorySharedTierContractTest extends SharedTierContractKit {

  private final Map<String, InMemorySharedTier> tiers = new ConcurrentHashMap<>();

  @Override
  protected SharedTier connect(String namespace) {
    return tiers.computeIfAbsent(namespace, n -> new InMemorySharedTier());
  }
}
