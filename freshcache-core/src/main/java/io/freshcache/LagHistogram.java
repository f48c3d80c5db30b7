package io.freshcache;

import io.freshcache.stats.PropagationLag;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Propagation lags in microseconds, in log-linear buckets (16 per power of two, so a percentile is
 * within about 6% of the truth), lock-free to record. Covers 0 µs to about 35 minutes; longer lags
 * land in the last bucket.
 */
final class LagHistogram {

  private static final int SUB = 16;
  private static final int POWERS = 32;

  private final AtomicLongArray counts = new AtomicLongArray(POWERS * SUB);
  private final LongAdder total = new LongAdder();

  void record(long micros) {
    counts.incrementAndGet(bucket(Math.max(0, micros)));
    total.increment();
  }

  private static int bucket(long micros) {
    if (micros < SUB) {
      return (int) micros;
    }
    int power = 63 - Long.numberOfLeadingZeros(micros); // >= 4
    int sub = (int) (micros >>> (power - 4)) - SUB; // 0..15
    int index = (power - 3) * SUB + sub;
    return Math.min(index, POWERS * SUB - 1);
  }

  /** The upper edge of a bucket, in microseconds. */
  private static long upper(int index) {
    if (index < SUB) {
      return index;
    }
    int power = index / SUB + 3;
    int sub = index % SUB;
    return ((long) (SUB + sub + 1) << (power - 4)) - 1;
  }

  long count() {
    return total.sum();
  }

  /** The lag at or under which {@code fraction} of recorded lags fall; 0 if none recorded. */
  long percentile(double fraction) {
    long n = count();
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(fraction * n));
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return upper(i);
      }
    }
    return upper(counts.length() - 1);
  }

  PropagationLag snapshot() {
    return new PropagationLag(count(), percentile(0.5), percentile(0.99), percentile(1.0));
  }
}
