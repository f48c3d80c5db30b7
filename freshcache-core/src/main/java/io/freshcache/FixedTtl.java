package io.freshcache;

import java.time.Duration;

/** The same lifetime for every entry; {@code null} means never. */
final class FixedTtl<K, V> implements Expiry<K, V> {

  private final long nanos;

  FixedTtl(Duration ttl) {
    this.nanos = ttl == null ? NEVER : Durations.toNanos(ttl);
  }

  @Override
  public long freshFor(K key, V value, double accessesPerSecond) {
    return nanos;
  }

  /** The one lifetime, {@link #NEVER} for never. */
  long nanos() {
    return nanos;
  }

  @Override
  public String toString() {
    return nanos == NEVER ? "never" : "ttl(" + Duration.ofNanos(nanos) + ")";
  }
}
