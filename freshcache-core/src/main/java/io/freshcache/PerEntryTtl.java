package io.freshcache;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;

/** A lifetime computed per entry by the application. */
final class PerEntryTtl<K, V> implements Expiry<K, V> {

  private final BiFunction<? super K, ? super V, Duration> ttlOf;

  PerEntryTtl(BiFunction<? super K, ? super V, Duration> ttlOf) {
    this.ttlOf = Objects.requireNonNull(ttlOf, "ttlOf must not be null");
  }

  @Override
  public long freshFor(K key, V value, double accessesPerSecond) {
    Duration ttl = ttlOf.apply(key, value);
    if (ttl == null) {
      throw new IllegalStateException("per-entry expiry returned null for key " + key);
    }
    return Durations.toNanos(Durations.requireNonNegative(ttl, "per-entry ttl of key " + key));
  }

  @Override
  public String toString() {
    return "perEntry";
  }
}
