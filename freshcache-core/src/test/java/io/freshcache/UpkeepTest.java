package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * On the system ticker, Caffeine's upkeep (read recording, size eviction, expiry) runs off the
 * reader's thread. What it evicts is still counted and its dependency edges still go; what the
 * cache removes or replaces itself is accounted for where it happens. Analytics and the group's
 * dependency count settle pending upkeep first, so they read exact figures.
 */
class UpkeepTest {

  private final CacheGroup group = CacheGroup.builder("upkeep").build();

  private FreshCache<String, String> cache(String name, long maximumSize) {
    return group
        .cache(name, String.class, String.class)
        .expiry(Expiry.ttl(Duration.ofHours(1)))
        .maximumSize(maximumSize)
        .build();
  }

  @Test
  void sizeEvictionsDoneOffTheCallersThreadAreAllCounted() {
    FreshCache<String, String> cache = cache("evicting", 10);
    for (int i = 0; i < 30; i++) {
      cache.put("p" + i, "v");
    }

    assertThat(cache.analytics().stats().evictions()).isEqualTo(20);
    assertThat(cache.estimatedSize()).isEqualTo(10);
  }

  @Test
  void evictedEntriesTakeTheirDependencyEdgesWithThem() {
    FreshCache<String, String> cache = cache("derived", 10);
    for (int i = 0; i < 100; i++) {
      cache.put("d" + i, "v", DependsOn.keys("root"));
    }

    assertThat(group.dependencyCount()).isEqualTo(10);
  }

  @Test
  void entriesTheCacheRemovesOrReplacesLeaveTheGraphWithoutWaitingForUpkeep() {
    FreshCache<String, String> cache = cache("explicit", 1_000);
    cache.put("a", "1", DependsOn.keys("root"));
    cache.put("b", "1", DependsOn.keys("root"));
    cache.put("c", "1", DependsOn.keys("root"));

    cache.put("a", "2", DependsOn.keys("other")); // replaced: the edge from root goes
    cache.invalidate("b"); // removed
    assertThat(group.dependencyCount()).isEqualTo(2); // a <- other, c <- root

    cache.invalidateAll();
    assertThat(group.dependencyCount()).isZero();
    cache.put("d", "1", DependsOn.keys("root")); // written after the clear: kept
    assertThat(group.dependencyCount()).isEqualTo(1);
    assertThat(cache.getIfPresent("d")).isEqualTo("1");
  }
}
