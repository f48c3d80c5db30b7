package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LagHistogramTest {

  @Test
  void percentilesAreWithinTheBucketPrecision() {
    LagHistogram histogram = new LagHistogram();
    for (long micros = 1; micros <= 10_000; micros++) {
      histogram.record(micros);
    }
    assertThat(histogram.count()).isEqualTo(10_000);
    assertThat(histogram.percentile(0.5)).isBetween(5_000L, 5_000L * 107 / 100);
    assertThat(histogram.percentile(0.99)).isBetween(9_900L, 9_900L * 107 / 100);
    assertThat(histogram.percentile(1.0)).isBetween(10_000L, 10_000L * 107 / 100);
  }

  @Test
  void smallAndNegativeLagsAreExactOrZero() {
    LagHistogram histogram = new LagHistogram();
    histogram.record(-5); // clock skew between hosts
    histogram.record(3);
    assertThat(histogram.percentile(0.5)).isZero();
    assertThat(histogram.percentile(1.0)).isEqualTo(3);
    assertThat(new LagHistogram().percentile(0.99)).isZero();
  }
}
