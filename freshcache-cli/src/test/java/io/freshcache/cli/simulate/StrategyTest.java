package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.FreshCache;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StrategyTest {

  @Test
  void theCatalogueListsTheTimeBasedStrategiesThenTheInvalidationOnes() {
    List<Strategy> catalogue = Strategy.catalogue();

    assertThat(catalogue)
        .hasSize(TimeStrategy.values().length + InvalidationStrategy.values().length);
    assertThat(catalogue.get(0)).isSameAs(TimeStrategy.NO_CACHE);
    assertThat(catalogue.get(TimeStrategy.values().length))
        .isSameAs(InvalidationStrategy.NO_INVALIDATION);
    assertThat(catalogue.stream().map(Strategy::label))
        .contains(
            "no-invalidation",
            "manual",
            "pub-sub",
            "update-event",
            "write-through",
            "write-around",
            "write-behind",
            "tags",
            "dependency",
            "versions");
  }

  @Test
  void findsEveryStrategyByItsLabelIgnoringCase() {
    for (Strategy strategy : Strategy.catalogue()) {
      assertThat(Strategy.named(strategy.label())).isSameAs(strategy);
      assertThat(Strategy.named(strategy.label().toUpperCase())).isSameAs(strategy);
    }
    assertThat(Strategy.named(" ttl ")).isSameAs(TimeStrategy.TTL);
    assertThat(Strategy.named("Pub-Sub")).isSameAs(InvalidationStrategy.PUB_SUB);
  }

  @Test
  void anUnknownNameFailsListingEveryValidName() {
    assertThatThrownBy(() -> Strategy.named("lru"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lru'")
        .satisfies(
            e -> {
              for (Strategy strategy : Strategy.catalogue()) {
                assertThat(e.getMessage()).contains(strategy.label());
              }
            });
  }

  @Test
  void labelsDescriptionsAndCacheNamesAreUnique() {
    assertThat(Strategy.catalogue().stream().map(Strategy::label)).doesNotHaveDuplicates();
    assertThat(Strategy.catalogue().stream().map(Strategy::description)).doesNotHaveDuplicates();
    assertThat(Arrays.stream(TimeStrategy.values()).map(TimeStrategy::cacheName))
        .doesNotHaveDuplicates();
  }

  @Test
  void everyTimeStrategyButNoCacheBuildsACache() {
    for (TimeStrategy strategy : TimeStrategy.values()) {
      if (!strategy.usesCache()) {
        continue;
      }
      var builder =
          FreshCache.builder(strategy.cacheName(), Long.class, String.class)
              .source(id -> "value " + id);
      try (FreshCache<Long, String> cache = strategy.configure(builder, () -> 0.5).build()) {
        assertThat(cache.get(1L)).as(strategy.label()).isEqualTo("value 1");
      }
    }
  }

  /**
   * Loads key 1 with jitter drawing {@code draw}, then reads it {@code after} later: the number of
   * loads tells whether the entry had expired.
   */
  private static int loadsOfTtlJitter(double draw, Duration after) {
    VirtualClock clock = new VirtualClock();
    AtomicInteger loads = new AtomicInteger();
    var builder =
        FreshCache.builder("jitter", Long.class, String.class)
            .ticker(clock)
            .source(
                id -> {
                  loads.incrementAndGet();
                  return "value " + id;
                });
    try (FreshCache<Long, String> cache =
        TimeStrategy.TTL_JITTER.configure(builder, () -> draw).build()) {
      cache.get(1L);
      clock.advance(after.toNanos());
      cache.get(1L);
    }
    return loads.get();
  }

  @Test
  void ttlJitterDrawsItsLifetimesFromTheRandomItIsGiven() {
    // ttl(30s).jitter(0.2): a draw of 0 gives 24 s, a draw near 1 almost 36 s.
    assertThat(loadsOfTtlJitter(0.0, Duration.ofSeconds(25))).isEqualTo(2);
    assertThat(loadsOfTtlJitter(0.9999, Duration.ofSeconds(35))).isEqualTo(1);
  }

  @Test
  void noCacheIsTheOnlyStrategyWithoutACache() {
    assertThat(Arrays.stream(TimeStrategy.values()).filter(s -> !s.usesCache()))
        .containsExactly(TimeStrategy.NO_CACHE);
    assertThatThrownBy(
            () ->
                TimeStrategy.NO_CACHE.configure(
                    FreshCache.builder("x", Long.class, String.class), () -> 0.5))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void onlyPubSubAndUpdateEventPublishDomainEventsAndOnlyDependencyDerivesSummaries() {
    assertThat(Arrays.stream(InvalidationStrategy.values()).filter(s -> s.publishesEvents()))
        .containsExactly(InvalidationStrategy.PUB_SUB, InvalidationStrategy.UPDATE_EVENT);
    assertThat(Arrays.stream(InvalidationStrategy.values()).filter(s -> s.derivesSummaries()))
        .containsExactly(InvalidationStrategy.DEPENDENCY);
  }
}
