package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DependencyCascadeTest {

  private final FakeTicker ticker = new FakeTicker();
  private final CacheGroup group = CacheGroup.builder("deps").ticker(ticker).build();
  private final FreshCache<String, String> cache =
      group
          .cache("derived", String.class, String.class)
          .expiry(Expiry.ttl(Duration.ofMinutes(10)))
          .maximumSize(200_000)
          .ticker(ticker)
          .build();

  @Test
  void aHundredThousandDeepChainCascadesWithoutError() {
    int depth = 100_000;
    cache.put("k0", "v");
    for (int i = 1; i <= depth; i++) {
      cache.put("k" + i, "v", DependsOn.keys("k" + (i - 1)));
    }
    assertThat(group.dependencyCount()).isEqualTo(depth);

    group.invalidateCascade("k0");

    assertThat(cache.getIfPresent("k0")).isNull();
    assertThat(cache.getIfPresent("k" + depth / 2)).isNull();
    assertThat(cache.getIfPresent("k" + depth)).isNull();
    assertThat(cache.estimatedSize()).isZero();
    assertThat(group.stats().cascaded()).isEqualTo(depth);
    assertThat(group.dependencyCount()).isZero();
  }

  @Test
  void aCascadeReachesAcrossCachesAndStopsAtUnrelatedEntries() {
    FreshCache<Long, String> users =
        group.cache("users", Long.class, String.class).keyPrefix("user:").build();
    users.put(1L, "ann");
    users.put(2L, "bob");
    cache.put("feed:1", "f1", DependsOn.keys("user:1"));
    cache.put("feed:2", "f2", DependsOn.keys("user:2"));
    cache.put("dash:1", "d1", DependsOn.keys("feed:1", "feed:2"));

    group.invalidateCascade("user:1");

    assertThat(users.getIfPresent(1L)).isNull();
    assertThat(cache.getIfPresent("feed:1")).isNull();
    assertThat(cache.getIfPresent("dash:1")).isNull();
    assertThat(users.getIfPresent(2L)).isEqualTo("bob");
    assertThat(cache.getIfPresent("feed:2")).isEqualTo("f2");
  }

  @Test
  void aPlainInvalidationLeavesDependentsAlone() {
    cache.put("a", "1");
    cache.put("b", "2", DependsOn.keys("a"));
    cache.invalidate("a");
    assertThat(cache.getIfPresent("b")).isEqualTo("2");
  }

  @Test
  void theGraphForgetsEntriesThatExpiredWereEvictedOrReplaced() {
    FreshCache<String, String> small =
        group
            .cache("small", String.class, String.class)
            .maximumSize(10)
            .expiry(Expiry.ttl(Duration.ofMinutes(1)))
            .ticker(ticker)
            .build();
    for (int i = 0; i < 100; i++) {
      small.put("s" + i, "v", DependsOn.keys("root"));
    }
    assertThat(group.dependencyCount()).isEqualTo(10); // 90 evicted, their edges with them

    cache.put("x", "1", DependsOn.keys("root"));
    cache.put("x", "2", DependsOn.keys("other"));
    assertThat(group.dependencyCount()).isEqualTo(11); // the replaced entry's edge is gone

    ticker.advance(Duration.ofMinutes(11));
    small.getIfPresent("s99"); // reads expire what is past its time
    cache.getIfPresent("x");
    for (int i = 0; i < 100; i++) {
      small.getIfPresent("s" + i);
    }
    assertThat(group.dependencyCount()).isZero();
  }

  @Test
  void aCycleAcrossThreeKeysIsRefusedWithThePath() {
    cache.put("a", "1", DependsOn.keys("c"));
    cache.put("b", "2", DependsOn.keys("a"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cache.put("c", "3", DependsOn.keys("b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dependency cycle c -> a -> b -> c");
    assertThat(cache.getIfPresent("c")).isNull();
    assertThat(group.dependencyCount()).isEqualTo(2);
  }

  @Test
  void aLoadDerivedFromAKeyInvalidatedWhileItRanIsNotStored() {
    java.util.concurrent.atomic.AtomicReference<Runnable> duringLoad =
        new java.util.concurrent.atomic.AtomicReference<>(() -> {});
    FreshCache<String, String> feeds =
        group
            .cache("feeds", String.class, String.class)
            .keyPrefix("feed:")
            .source(
                key -> {
                  duringLoad.get().run();
                  return "feed-of-" + key;
                })
            .dependsOn((k, v) -> DependsOn.keys("user:" + k))
            .build();
    duringLoad.set(() -> group.invalidateCascade("user:1")); // the user changes mid-load
    assertThat(feeds.get("1")).isEqualTo("feed-of-1");
    assertThat(feeds.getIfPresent("1")).isNull();

    duringLoad.set(() -> {});
    feeds.get("1");
    assertThat(feeds.getIfPresent("1")).isEqualTo("feed-of-1");
  }
}
