package io.freshcache;

import java.time.Duration;
import java.util.Objects;

/** Validation and saturating arithmetic for durations in nanoseconds. */
final class Durations {

  private Durations() {}

  static Duration requirePositive(Duration duration, String what) {
    Objects.requireNonNull(duration, () -> what + " must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + duration);
    }
    return duration;
  }

  static Duration requireNonNegative(Duration duration, String what) {
    Objects.requireNonNull(duration, () -> what + " must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, was " + duration);
    }
    return duration;
  }

  /** The duration in nanoseconds, saturating at {@link Long#MAX_VALUE} (about 292 years). */
  static long toNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    // Overflow iff both operands have the sign opposite to the sum.
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }

  static double requireFraction(double value, String what) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(what + " must be within [0, 1], was " + value);
    }
    return value;
  }
}
