package io.freshcache;

import java.time.Duration;

/**
 * Fresh for {@code idle} after the last read, and never longer than {@code cap} after the write: a
 * key nobody reads goes early, a hot key is still reloaded at least every {@code cap}.
 */
final class SlidingExpiry<K, V> implements Expiry<K, V> {

  private final long idle;
  private final long cap;

  SlidingExpiry(Duration idle, Duration cap) {
    this.idle = Durations.toNanos(Durations.requirePositive(idle, "idle"));
    this.cap = Durations.toNanos(Durations.requirePositive(cap, "cap"));
    if (this.cap < this.idle) {
      throw new IllegalArgumentException(
          "sliding: cap " + cap + " must be at least the idle time " + idle);
    }
  }

  @Override
  public long freshFor(K key, V value, double accessesPerSecond) {
    return idle;
  }

  @Override
  public long afterRead(K key, V value, long ageNanos, long remainingNanos) {
    return Math.max(0, Math.min(idle, cap - ageNanos));
  }

  /** The longest an entry stays fresh after its write, however often it is read. */
  long cap() {
    return cap;
  }

  @Override
  public String toString() {
    return "sliding(" + Duration.ofNanos(idle) + ", cap " + Duration.ofNanos(cap) + ")";
  }
}
