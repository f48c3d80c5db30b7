package io.freshcache.spring;

import io.freshcache.Expiry;
import java.time.Duration;
import org.springframework.cache.support.NullValue;

/** A cache's expiry, with cached nulls ("not found") kept for their own, usually shorter, TTL. */
final class NullAwareExpiry implements Expiry<String, Object> {

  private final Expiry<? super String, ? super Object> values;
  private final long nullNanos;

  NullAwareExpiry(Expiry<? super String, ? super Object> values, Duration nullTtl) {
    this.values = values;
    this.nullNanos = nullTtl.toNanos();
  }

  @Override
  public long freshFor(String key, Object value, double accessesPerSecond) {
    return value instanceof NullValue ? nullNanos : values.freshFor(key, value, accessesPerSecond);
  }

  @Override
  public long afterRead(String key, Object value, long ageNanos, long remainingNanos) {
    return value instanceof NullValue
        ? remainingNanos
        : values.afterRead(key, value, ageNanos, remainingNanos);
  }

  @Override
  public boolean observesAccessRate() {
    return values.observesAccessRate();
  }

  @Override
  public String toString() {
    return values + ", nulls for " + Duration.ofNanos(nullNanos);
  }
}
