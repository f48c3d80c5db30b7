package io.freshcache.bench;

import java.util.SplittableRandom;

/**
 * A precomputed cycle of keys drawn from {@code [0, keyCount)}, so that a benchmark's hot loop
 * spends nothing on random numbers or boxing. Not thread-safe: give each benchmark thread its own.
 */
final class KeySequence {

  /** Zipf exponent of the skewed distribution, as in YCSB's default workload. */
  private static final double ZIPF_EXPONENT = 0.99;

  private final Integer[] keys;
  private final int mask;
  private int index;

  private KeySequence(Integer[] keys) {
    this.keys = keys;
    this.mask = keys.length - 1;
  }

  /**
   * @param distribution {@code uniform}, or {@code zipf} (a few keys take most reads; which keys
   *     are hot is shuffled, so they are not the lowest numbers)
   * @param length how many keys before the cycle repeats; a power of two
   */
  static KeySequence of(String distribution, int keyCount, int length, long seed) {
    if (Integer.bitCount(length) != 1) {
      throw new IllegalArgumentException("length must be a power of two, was " + length);
    }
    SplittableRandom random = new SplittableRandom(seed);
    Integer[] keys = new Integer[length];
    switch (distribution) {
      case "uniform" -> {
        for (int i = 0; i < length; i++) {
          keys[i] = random.nextInt(keyCount);
        }
      }
      case "zipf" -> {
        double[] cumulative = zipfCumulative(keyCount);
        // The hot ranks map to keys through a permutation fixed for all threads (seed 0), so
        // every thread agrees on which keys are hot.
        int[] keyOfRank = permutation(keyCount, new SplittableRandom(0));
        for (int i = 0; i < length; i++) {
          keys[i] = keyOfRank[rankOf(cumulative, random.nextDouble())];
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unknown distribution \"" + distribution + "\": use uniform or zipf");
    }
    return new KeySequence(keys);
  }

  /** The next key of the cycle. */
  Integer next() {
    return keys[index++ & mask];
  }

  private static double[] zipfCumulative(int n) {
    double[] cumulative = new double[n];
    double sum = 0;
    for (int rank = 0; rank < n; rank++) {
      sum += 1.0 / Math.pow(rank + 1, ZIPF_EXPONENT);
      cumulative[rank] = sum;
    }
    for (int rank = 0; rank < n; rank++) {
      cumulative[rank] /= sum;
    }
    return cumulative;
  }

  /** The first rank whose cumulative probability reaches {@code u}. */
  private static int rankOf(double[] cumulative, double u) {
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] < u) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }
}
