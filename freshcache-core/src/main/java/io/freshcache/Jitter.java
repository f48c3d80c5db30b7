package io.freshcache;

import java.util.function.DoubleSupplier;

/**
 * Spreads another policy's lifetimes uniformly over {@code [1 - f, 1 + f]} times their value, so
 * that entries loaded together (after a deploy, a cold start, a mass invalidation) do not all
 * expire in the same instant and stampede the source.
 */
final class Jitter<K, V> implements Expiry<K, V> {

  private final Expiry<K, V> base;
  private final double fraction;
  private final DoubleSupplier random;

  Jitter(Expiry<K, V> base, double fraction, DoubleSupplier random) {
    this.base = base;
    this.fraction = Durations.requireFraction(fraction, "jitter");
    this.random = random;
  }

  @Override
  public long freshFor(K key, V value, double accessesPerSecond) {
    long nanos = base.freshFor(key, value, accessesPerSecond);
    if (nanos == NEVER || fraction == 0.0) {
      return nanos;
    }
    double factor = 1.0 + fraction * (2.0 * random.getAsDouble() - 1.0);
    double jittered = nanos * factor;
    return jittered >= NEVER ? NEVER - 1 : (long) jittered;
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

  double fraction() {
    return fraction;
  }

  @Override
  public String toString() {
    return base + ".jitter(" + fraction + ")";
  }
}
