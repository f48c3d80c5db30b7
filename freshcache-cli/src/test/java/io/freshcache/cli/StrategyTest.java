package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.FreshCache;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StrategyTest {

  @Test
  void findsEveryStrategyByItsLabelIgnoringCase() {
    for (TimeStrategy strategy : TimeStrategy.values()) {
      assertThat(Strategy.named(strategy.label())).isSameAs(strategy);
      assertThat(Strategy.named(strategy.label().toUpperCase())).isSameAs(strategy);
    }
    assertThat(Strategy.named(" ttl ")).isSameAs(TimeStrategy.TTL);
  }

  @Test
  void anUnknownNameFailsListingEveryValidName() {
    assertThatThrownBy(() -> Strategy.named("lru"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lru'")
        .satisfies(
            e -> {
              for (TimeStrategy strategy : TimeStrategy.values()) {
                assertThat(e.getMessage()).contains(strategy.label());
              }
            });
  }

  @Test
  void labelsAndCacheNamesAreUnique() {
    assertThat(Arrays.stream(TimeStrategy.values()).map(TimeStrategy::label))
        .doesNotHaveDuplicates();
    assertThat(Arrays.stream(TimeStrategy.values()).map(TimeStrategy::cacheName))
        .doesNotHaveDuplicates();
  }

  @Test
  void everyStrategyButNoCacheBuildsACache() {
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
}
