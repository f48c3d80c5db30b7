package io.freshcache.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatsValuesTest {

  @Test
  void cacheStatsAddAndSubtractCounterByCounter() {
    CacheStats a =
        CacheStats.builder().hits(5).misses(2).loadSuccesses(2).totalLoadNanos(40).build();
    CacheStats b = CacheStats.builder().hits(1).staleHits(3).writeFailures(7).build();

    CacheStats sum = a.plus(b);

    assertThat(sum.hits()).isEqualTo(6);
    assertThat(sum.staleHits()).isEqualTo(3);
    assertThat(sum.misses()).isEqualTo(2);
    assertThat(sum.writeFailures()).isEqualTo(7);
    assertThat(sum.requests()).isEqualTo(11);
    assertThat(sum.averageLoadTime()).isEqualTo(Duration.ofNanos(20));
    assertThat(sum.minus(b)).isEqualTo(a);
    assertThat(a.minus(sum)).isEqualTo(CacheStats.empty());
  }

  @Test
  void cacheStatsCompareByValueAndNameEveryCounter() {
    CacheStats a = CacheStats.builder().voidedLoads(4).build();

    assertThat(a)
        .isEqualTo(CacheStats.builder().voidedLoads(4).build())
        .isNotEqualTo(CacheStats.empty());
    assertThat(a.hashCode()).isEqualTo(CacheStats.builder().voidedLoads(4).build().hashCode());
    assertThat(a.toString()).contains("voidedLoads=4", "hits=0", "writeFailures=0");
    assertThat(CacheStats.empty().hitRatio()).isEqualTo(1.0);
  }

  @Test
  void cacheStatsRefuseNegativeCounts() {
    assertThatThrownBy(() -> CacheStats.builder().hits(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hits must not be negative, was -1");
  }

  @Test
  void groupStatsStartAtZeroAndCompareByValue() {
    GroupStats none = GroupStats.builder().build();
    GroupStats some =
        GroupStats.builder().published(3).live(true).lag(new PropagationLag(1, 2, 3, 4)).build();

    assertThat(none.published()).isZero();
    assertThat(none.live()).isFalse();
    assertThat(none.lag()).isEqualTo(PropagationLag.NONE);
    assertThat(some)
        .isEqualTo(
            GroupStats.builder()
                .published(3)
                .live(true)
                .lag(new PropagationLag(1, 2, 3, 4))
                .build());
    assertThat(some).isNotEqualTo(none);
    assertThat(some.toString()).contains("published=3", "live=true");
  }
}
