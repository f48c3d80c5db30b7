package io.freshcache;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache's side of the shared tier: its values as bytes, its entries' shared lifetimes, and
 * which entries are shared at all.
 *
 * <p>An entry derived from other keys ({@link DependsOn}) is never shared: the tier does not know
 * its source keys, so a cascade from an instance that does not hold the entry could not reach it.
 */
final class SharedValues<V> {

  private static final Logger log = LoggerFactory.getLogger(SharedValues.class);

  private final String cache;
  private final SharedLink link;
  private final ValueCodec<V> codec;
  private final long staleRetention;

  SharedValues(String cache, SharedLink link, ValueCodec<V> codec, long staleRetention) {
    this.cache = cache;
    this.link = link;
    this.codec = codec;
    this.staleRetention = Math.min(staleRetention, SharedLink.MAX_TTL_NANOS);
  }

  /** One lookup (or a wait for another instance's load); never throws. */
  SharedLink.Found find(String key) {
    return link.find(cache, key);
  }

  /** The hit's value, or null if its bytes do not decode (counted as a tier failure). */
  V decode(String key, SharedEntry entry) {
    try {
      V value = codec.decode(entry.value());
      if (value == null) {
        throw new IllegalArgumentException("the codec decoded null");
      }
      return value;
    } catch (RuntimeException e) {
      link.failures.increment();
      log.warn("cache '{}': the shared value of {} does not decode; loading it: {}", cache, key, e);
      return null;
    }
  }

  /** How long a hit stays fresh here: what remains of its shared life before its stale windows. */
  long freshFor(SharedEntry entry) {
    return Math.max(0, entry.ttl().toNanos() - staleRetention);
  }

  /** Offers a loaded value under the lease, or hands the lease on if it is not to be shared. */
  void fill(String key, String lease, V value, Entry.Meta meta, long lifetime) {
    if (meta.sources().length != 0) {
      link.release(cache, key, lease);
      return;
    }
    byte[] bytes;
    try {
      bytes = codec.encode(value);
    } catch (RuntimeException e) {
      link.unencodable.increment();
      log.debug("cache '{}': not sharing {}: {}", cache, key, e.toString());
      link.release(cache, key, lease);
      return;
    }
    link.fill(cache, key, entry(bytes, meta.version(), meta.tags(), lifetime), lease);
  }

  /** Hands the lease on (a load failed or was refused here): drops it, never the entry. */
  void release(String key, String lease) {
    link.release(cache, key, lease);
  }

  /**
   * The put's bytes, before anything changes; a clear error if the codec cannot encode it, ending
   * with {@code nothing}: what the refused put left stored.
   */
  byte[] encodeForPut(Object key, V value, String nothing) {
    try {
      return codec.encode(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cache '"
              + cache
              + "': the value of "
              + key
              + " cannot be encoded for the shared tier by "
              + codec
              + " ("
              + e.getMessage()
              + "); "
              + nothing
              + ". Make the value serialisable or set .valueCodec(...)",
          e);
    }
  }

  /** Stores a put in the tier (waits, bounded); a derived entry is invalidated there instead. */
  void put(String key, byte[] bytes, Entry<V> entry) {
    if (entry.sources.length != 0) {
      invalidate(List.of(key));
      return;
    }
    long lifetime = Math.max(0, entry.freshUntil() - entry.writtenAt);
    link.put(cache, key, entry(bytes, entry.version, entry.tags, lifetime));
  }

  /** Deletes keys from the tier and voids their leases; waits, bounded. */
  void invalidate(List<String> keys) {
    link.awaitAll(List.of(link.start(() -> link.tier.invalidate(cache, keys), "invalidate")));
  }

  /** Deletes every entry of the cache from the tier; waits, bounded. */
  void invalidateAll() {
    link.awaitAll(List.of(link.start(() -> link.tier.invalidateAll(cache), "invalidateAll")));
  }

  private SharedEntry entry(byte[] bytes, long version, String[] tags, long lifetime) {
    long ttl = SharedLink.ttlNanos(Math.min(lifetime, SharedLink.MAX_TTL_NANOS), staleRetention);
    return new SharedEntry(
        bytes,
        version,
        java.time.Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(ttl))),
        Arrays.asList(tags));
  }
}
