package io.freshcache;

import java.time.Duration;

/** Clamps another policy's lifetimes to {@code [min, max]}. */
final class TtlBounds<K, V> implements Expiry<K, V> {

  private final Expiry<K, V> base;
  private final long min;
  private final long max;

  TtlBounds(Expiry<K, V> base, Duration min, Duration max) {
    this.base = base;
    this.min = Durations.toNanos(Durations.requireNonNegative(min, "min"));
    this.max = Durations.toNanos(Durations.requirePositive(max, "max"));
    if (this.min > this.max) {
      throw new IllegalArgumentException("bounds: min " + min + " is greater than max " + max);
    }
  }

  @Override
  public long freshFor(K key, V value, double accessesPerSecond) {
    return clamp(base.freshFor(key, value, accessesPerSecond));
  }

  @Override
  public long afterRead(K key, V value, long ageNanos, long remainingNanos) {
    return base.afterRead(key, value, ageNanos, remainingNanos);
  }

  @Override
  public boolean observesAccessRate() {
    return base.observesAccessRate();
  }

  Expiry<K, V> base() {
    return base;
  }

  /** The longest lifetime this policy gives. */
  long max() {
    return max;
  }

  private long clamp(long nanos) {
    return Math.max(min, Math.min(max, nanos));
  }

  @Override
  public String toString() {
    return base + ".bounds(" + Duration.ofNanos(min) + ", " + Duration.ofNanos(max) + ")";
  }
}
