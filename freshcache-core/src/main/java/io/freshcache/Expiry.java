package io.freshcache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;

/**
 * Calculates how long an entry stays fresh.
 *
 * <p>A policy answers two questions, in nanoseconds of the cache's ticker: how long a newly written
 * entry stays fresh ({@link #freshFor}), and, for policies that slide, how much freshness is left
 * after a read ({@link #afterRead}). Policies compose: {@code Expiry.ttl(Duration.ofHours(1))
 * .jitter(0.2).bounds(Duration.ofMinutes(50), Duration.ofMinutes(70))}. Whether a fresh entry is
 * refreshed early or a stale one served for a while is the business of {@link Refresh}, not of the
 * expiry.
 *
 * <p>Implementations must be thread-safe and fast: {@link #afterRead} runs on every hit of a
 * sliding cache. Every factory here validates its arguments and throws {@link
 * IllegalArgumentException} with the offending value.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Expiry<K, V> {

  /** Nanoseconds that mean "never expires". */
  long NEVER = Long.MAX_VALUE;

  /**
   * How long a newly written (put or loaded) entry stays fresh.
   *
   * @param accessesPerSecond the key's observed read rate; {@code 0} unless {@link
   *     #observesAccessRate()} is true
   * @return a lifetime in nanoseconds, {@code >= 0}; {@link #NEVER} for no expiry
   */
  long freshFor(K key, V value, double accessesPerSecond);

  /**
   * How much freshness an entry has left after a read. The default leaves it unchanged.
   *
   * @param ageNanos time since the entry was written
   * @param remainingNanos freshness left before this read
   */
  default long afterRead(K key, V value, long ageNanos, long remainingNanos) {
    return remainingNanos;
  }

  /** Whether the cache must track each key's read rate for {@link #freshFor}. */
  default boolean observesAccessRate() {
    return false;
  }

  /**
   * Spreads lifetimes uniformly over {@code ±fraction} of what this policy computes, so that keys
   * written together do not expire together.
   *
   * @param fraction in {@code [0, 1]}; {@code 0.2} means ±20%
   */
  default Expiry<K, V> jitter(double fraction) {
    return new Jitter<>(this, fraction, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * As {@link #jitter(double)}, drawing from {@code random} (uniform in {@code [0, 1)}), for
   * reproducible runs such as simulations and tests.
   */
  default Expiry<K, V> jitter(double fraction, DoubleSupplier random) {
    return new Jitter<>(this, fraction, Objects.requireNonNull(random, "random must not be null"));
  }

  /** Clamps the lifetimes this policy computes to {@code [min, max]}. */
  default Expiry<K, V> bounds(Duration min, Duration max) {
    return new TtlBounds<>(this, min, max);
  }

  /** Entries never expire by time (they still go on eviction or invalidation). */
  static <K, V> Expiry<K, V> never() {
    return new FixedTtl<>(null);
  }

  /** Every entry stays fresh for {@code ttl} after it is written. */
  static <K, V> Expiry<K, V> ttl(Duration ttl) {
    return new FixedTtl<>(Durations.requirePositive(ttl, "ttl"));
  }

  /**
   * Each entry stays fresh for what {@code ttlOf} computes from its key and value (e.g. a row's own
   * cache hint). The function must not return null or a negative duration.
   */
  static <K, V> Expiry<K, V> perEntry(BiFunction<? super K, ? super V, Duration> ttlOf) {
    return new PerEntryTtl<>(ttlOf);
  }

  /**
   * An entry stays fresh while it is read at least every {@code idle}, but never longer than {@code
   * cap} after it was written, so a hot key is still reloaded.
   */
  static <K, V> Expiry<K, V> sliding(Duration idle, Duration cap) {
    return new SlidingExpiry<>(idle, cap);
  }

  /**
   * A lifetime computed from the key's observed read rate and the data's declared volatility,
   * around {@code base}: frequently read, rarely changing data lives longer. See {@link
   * AdaptiveTtl} for the formula and its settings.
   */
  static <K, V> AdaptiveTtl<K, V> adaptive(Duration base) {
    return new AdaptiveTtl<>(Durations.requirePositive(base, "base"), 0.5, 1.0, null, null);
  }
}
