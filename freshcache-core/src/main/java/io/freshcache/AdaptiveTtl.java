package io.freshcache;

import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A lifetime computed from how often a key is read and how often its data changes.
 *
 * <p>With {@code f = rate / (rate + hotRate)} (the key's observed reads per second, squashed into
 * {@code [0, 1)}) and {@code v} the declared volatility in {@code [0, 1]}, an entry lives {@code
 * base × (0.5 + 1.5·f) × (1 − 0.75·v)}: from an eighth of {@code base} for a cold, volatile key to
 * almost twice {@code base} for a hot, stable one. Then it is clamped to the bounds, by default
 * {@code [base/8, 2·base]}. Hot keys are worth keeping; volatile data is worth re-reading.
 *
 * <p>Immutable: every setting returns a new policy.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class AdaptiveTtl<K, V> implements Expiry<K, V> {

  private final Duration base;
  private final double volatility;
  private final double hotRate;
  private final ToDoubleFunction<? super K> volatilityOf;
  private final long min;
  private final long max;

  AdaptiveTtl(
      Duration base,
      double volatility,
      double hotRate,
      ToDoubleFunction<? super K> volatilityOf,
      Duration[] bounds) {
    this.base = base;
    this.volatility = Durations.requireFraction(volatility, "volatility");
    if (!(hotRate > 0.0) || Double.isInfinite(hotRate)) {
      throw new IllegalArgumentException("hotRate must be a positive rate, was " + hotRate);
    }
    this.hotRate = hotRate;
    this.volatilityOf = volatilityOf;
    long baseNanos = Durations.toNanos(base);
    this.min = bounds == null ? baseNanos / 8 : Durations.toNanos(bounds[0]);
    this.max =
        bounds == null
            ? Durations.saturatedAdd(baseNanos, baseNanos)
            : Durations.toNanos(bounds[1]);
  }

  /** The declared volatility of the data, from 0 (never changes) to 1 (changes all the time). */
  public AdaptiveTtl<K, V> volatility(double volatility) {
    return new AdaptiveTtl<>(base, volatility, hotRate, null, currentBounds());
  }

  /** A volatility per key, e.g. prices more volatile than names; values outside [0, 1] fail. */
  public AdaptiveTtl<K, V> volatility(ToDoubleFunction<? super K> volatilityOf) {
    Objects.requireNonNull(volatilityOf, "volatilityOf must not be null");
    return new AdaptiveTtl<>(base, volatility, hotRate, volatilityOf, currentBounds());
  }

  /** The read rate (per second) at which a key counts as half-way hot; default 1/s. */
  public AdaptiveTtl<K, V> hotRate(double readsPerSecond) {
    return new AdaptiveTtl<>(base, volatility, readsPerSecond, volatilityOf, currentBounds());
  }

  /** The lifetimes this policy may give, replacing the default {@code [base/8, 2·base]}. */
  @Override
  public AdaptiveTtl<K, V> bounds(Duration min, Duration max) {
    Durations.requireNonNegative(min, "min");
    Durations.requirePositive(max, "max");
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("bounds: min " + min + " is greater than max " + max);
    }
    return new AdaptiveTtl<>(base, volatility, hotRate, volatilityOf, new Duration[] {min, max});
  }

  /** The longest lifetime this policy gives. */
  long longest() {
    return max;
  }

  @Override
  public long freshFor(K key, V value, double accessesPerSecond) {
    double v =
        volatilityOf == null
            ? volatility
            : Durations.requireFraction(volatilityOf.applyAsDouble(key), "volatility of " + key);
    double rate = Math.max(0.0, accessesPerSecond);
    double f = rate / (rate + hotRate);
    double nanos = Durations.toNanos(base) * (0.5 + 1.5 * f) * (1.0 - 0.75 * v);
    long lifetime = nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    return Math.max(min, Math.min(max, lifetime));
  }

  @Override
  public boolean observesAccessRate() {
    return true;
  }

  private Duration[] currentBounds() {
    return new Duration[] {Duration.ofNanos(min), Duration.ofNanos(max)};
  }

  @Override
  public String toString() {
    return "adaptive("
        + base
        + ", volatility "
        + (volatilityOf == null ? volatility : "per key")
        + ")";
  }
}
