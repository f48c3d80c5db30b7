package io.freshcache.cli.simulate;

import java.util.SplittableRandom;

/**
 * Draws ranks from a Zipf distribution: rank {@code k} of {@code n} comes up with probability
 * proportional to {@code 1 / k^skew}, so rank 1 is the most frequent, and a skew of 0 is uniform.
 *
 * <p>The cumulative distribution is computed once ({@code n} doubles); each draw is one uniform
 * number and a binary search. Immutable and thread-safe; the randomness comes from the caller's
 * generator, so a seeded generator gives a reproducible sequence.
 */
final class ZipfSampler {

  private final double[] cumulative;

  /**
   * @param n how many ranks, at least 1
   * @param skew the exponent, finite and {@code >= 0}
   * @throws IllegalArgumentException if either is out of range
   */
  ZipfSampler(int n, double skew) {
    if (n < 1) {
      throw new IllegalArgumentException("Zipf sampler needs at least one rank, was " + n);
    }
    if (!(skew >= 0.0) || Double.isInfinite(skew)) {
      throw new IllegalArgumentException("Zipf skew must be a finite number >= 0, was " + skew);
    }
    cumulative = new double[n];
    double sum = 0.0;
    for (int k = 1; k <= n; k++) {
      sum += 1.0 / Math.pow(k, skew);
      cumulative[k - 1] = sum;
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= sum;
    }
    // Rounding may leave the last bucket a hair under 1; a draw must always land somewhere.
    cumulative[n - 1] = 1.0;
  }

  /** The number of ranks. */
  int size() {
    return cumulative.length;
  }

  /** The probability of drawing {@code rank} (1-based). */
  double probability(int rank) {
    if (rank < 1 || rank > cumulative.length) {
      throw new IllegalArgumentException(
          "rank must be within [1, " + cumulative.length + "], was " + rank);
    }
    return rank == 1 ? cumulative[0] : cumulative[rank - 1] - cumulative[rank - 2];
  }

  /** Draws a rank in {@code [1, size()]}. */
  int sample(SplittableRandom random) {
    double u = random.nextDouble(); // [0, 1)
    // The first bucket whose cumulative probability exceeds u.
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo + 1;
  }
}
