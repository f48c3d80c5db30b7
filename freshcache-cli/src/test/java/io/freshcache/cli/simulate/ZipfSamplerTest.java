package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

  private static int[] histogram(ZipfSampler zipf, long seed, int draws) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] counts = new int[zipf.size() + 1];
    for (int i = 0; i < draws; i++) {
      counts[zipf.sample(random)]++;
    }
    return counts;
  }

  @Test
  void rankOneIsTheMostFrequentAndFrequencyFallsWithRank() {
    ZipfSampler zipf = new ZipfSampler(1_000, 1.0);
    int[] counts = histogram(zipf, 7, 200_000);

    for (int rank = 2; rank <= 1_000; rank++) {
      assertThat(counts[1]).as("rank 1 vs rank %d", rank).isGreaterThan(counts[rank]);
    }
    assertThat(counts[1]).isGreaterThan(counts[2]);
    assertThat(counts[2]).isGreaterThan(counts[10]);
    assertThat(counts[10]).isGreaterThan(counts[100]);
  }

  @Test
  void observedFrequenciesFollowOneOverRankToTheSkew() {
    double skew = 1.2;
    ZipfSampler zipf = new ZipfSampler(500, skew);
    int draws = 400_000;
    int[] counts = histogram(zipf, 11, draws);

    // With skew s, P(1) / P(k) = k^s.
    assertThat((double) counts[1] / counts[2]).isCloseTo(Math.pow(2, skew), within(0.1));
    assertThat((double) counts[1] / counts[4]).isCloseTo(Math.pow(4, skew), within(0.3));
    for (int rank : new int[] {1, 2, 3, 10}) {
      assertThat((double) counts[rank] / draws)
          .as("share of rank %d", rank)
          .isCloseTo(zipf.probability(rank), within(0.01));
    }
  }

  @Test
  void probabilitiesSumToOne() {
    ZipfSampler zipf = new ZipfSampler(300, 0.9);
    double sum = 0;
    for (int rank = 1; rank <= 300; rank++) {
      sum += zipf.probability(rank);
    }
    assertThat(sum).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void skewZeroIsUniform() {
    ZipfSampler zipf = new ZipfSampler(10, 0.0);
    int[] counts = histogram(zipf, 3, 100_000);
    for (int rank = 1; rank <= 10; rank++) {
      assertThat(counts[rank]).as("rank %d", rank).isBetween(9_000, 11_000);
    }
  }

  @Test
  void theSameSeedGivesTheSameSequence() {
    ZipfSampler zipf = new ZipfSampler(2_000, 1.0);
    SplittableRandom a = new SplittableRandom(42);
    SplittableRandom b = new SplittableRandom(42);
    SplittableRandom other = new SplittableRandom(43);
    int[] first = new int[1_000];
    int[] second = new int[1_000];
    int[] third = new int[1_000];
    for (int i = 0; i < first.length; i++) {
      first[i] = zipf.sample(a);
      second[i] = zipf.sample(b);
      third[i] = zipf.sample(other);
    }
    assertThat(second).isEqualTo(first);
    assertThat(third).isNotEqualTo(first);
  }

  @Test
  void everyDrawIsARankInRange() {
    ZipfSampler zipf = new ZipfSampler(5, 3.0);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      assertThat(zipf.sample(random)).isBetween(1, 5);
    }
    assertThat(new ZipfSampler(1, 1.0).sample(random)).isEqualTo(1);
  }

  @Test
  void rejectsNoRanksAndBadSkews() {
    assertThatThrownBy(() -> new ZipfSampler(0, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> new ZipfSampler(10, -0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.5");
    assertThatThrownBy(() -> new ZipfSampler(10, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ZipfSampler(10, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
