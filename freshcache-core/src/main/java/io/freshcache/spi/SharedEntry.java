package io.freshcache.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An entry as the shared tier stores it.
 *
 * @param value the encoded value
 * @param version its version, or {@link Long#MIN_VALUE} if it has none
 * @param ttl how long it stays stored (the tier's own expiry); positive. As a record holding an
 *     array, its {@code equals} compares {@code value} by identity, not content.
 * @param tags the tags it carries
 */
public record SharedEntry(byte[] value, long version, Duration ttl, List<String> tags) {

  public SharedEntry {
    Objects.requireNonNull(value, "value must not be null");
    Objects.requireNonNull(ttl, "ttl must not be null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    tags = List.copyOf(Objects.requireNonNull(tags, "tags must not be null"));
  }
}
