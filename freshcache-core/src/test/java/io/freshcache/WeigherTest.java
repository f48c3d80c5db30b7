package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.testing.FakeTicker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code maximumWeight} with a weigher: the tier holds entries within a total weight. */
class WeigherTest {

  private final FakeTicker ticker = new FakeTicker();
  private final List<String> evicted = new CopyOnWriteArrayList<>();

  private FreshCache<String, String> byLength(long maximumWeight) {
    return FreshCache.builder("weighed", String.class, String.class)
        .ticker(ticker) // upkeep inline: evictions are done when a write returns
        .maximumWeight(maximumWeight)
        .weigher((key, value) -> value.length())
        .removalListener(
            (key, value, cause) -> {
              if (cause == RemovalCause.EVICTED) {
                evicted.add(key);
              }
            })
        .build();
  }

  @Test
  void theTierEvictsOnceTheWeightsExceedTheMaximum() {
    FreshCache<String, String> cache = byLength(10);
    cache.put("a", "1234");
    cache.put("b", "1234");
    assertThat(cache.estimatedSize()).isEqualTo(2);
    assertThat(evicted).isEmpty();

    cache.put("c", "1234"); // 12 > 10

    assertThat(cache.estimatedSize()).isEqualTo(2);
    assertThat(evicted).hasSize(1);
    assertThat(cache.analytics().stats().evictions()).isEqualTo(1);
  }

  @Test
  void manyLightEntriesFitWhereFewHeavyOnesDoNot() {
    FreshCache<String, String> cache = byLength(10);
    for (int i = 0; i < 10; i++) {
      cache.put("light" + i, "x");
    }
    assertThat(cache.estimatedSize()).isEqualTo(10);
    cache.put("heavy", "12345678901"); // heavier than the whole bound: never kept
    assertThat(cache.getIfPresent("heavy")).isNull();
    assertThat(evicted).contains("heavy");
  }

  @Test
  void aNegativeWeightFailsThePutAndStoresNothing() {
    FreshCache<String, String> cache =
        FreshCache.builder("negative-weight", String.class, String.class)
            .ticker(ticker)
            .maximumWeight(10)
            .weigher((key, value) -> -1)
            .build();
    assertThatThrownBy(() -> cache.put("k", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cache 'negative-weight': the weigher gave k the weight -1; weights must be 0 or more");
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void sizeAndWeightBoundsExcludeEachOtherInEitherOrder() {
    assertThatThrownBy(
            () ->
                FreshCache.builder("w", String.class, String.class).maximumSize(5).maximumWeight(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "maximumWeight cannot be combined with maximumSize (already set to 5): bound the cache"
                + " by entry count or by weight, not both");
    assertThatThrownBy(
            () ->
                FreshCache.builder("w", String.class, String.class).maximumWeight(7).maximumSize(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "maximumSize cannot be combined with maximumWeight (already set to 7)");
  }

  @Test
  void aWeightBoundNeedsAWeigherAndAWeigherNeedsABound() {
    assertThatThrownBy(
            () -> FreshCache.builder("w", String.class, String.class).maximumWeight(5).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maximumWeight(5) needs a weigher");
    assertThatThrownBy(
            () ->
                FreshCache.builder("w", String.class, String.class)
                    .weigher((key, value) -> 1)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no maximumWeight");
    assertThatThrownBy(() -> FreshCache.builder("w", String.class, String.class).maximumWeight(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumWeight must not be negative, was -1");
  }
}
