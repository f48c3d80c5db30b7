package io.freshcache;

import io.freshcache.spi.SharedEntry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final RoundTripCheck<V> codec;
  private final long staleRetention;

  /** Whether shared values have failed to decode since the last one that decoded. */
  private final AtomicBoolean undecodable = new AtomicBoolean();

  SharedValues(String cache, SharedLink link, ValueCodec<V> codec, long staleRetention) {
    this.cache = cache;
    this.link = link;
    this.codec = new RoundTripCheck<>(codec);
    this.staleRetention = Math.min(staleRetention, SharedLink.MAX_TTL_NANOS);
  }

  /** Lookups of several keys in one round trip (see {@link SharedLink#findAll}); never throws. */
  java.util.List<SharedLink.Found> findAll(java.util.List<String> keys) {
    return link.findAll(cache, keys);
  }

  /** {@link #findAll} without holding a thread (see {@link SharedLink#findAllAsync}). */
  java.util.concurrent.CompletableFuture<java.util.List<SharedLink.Found>> findAllAsync(
      java.util.List<String> keys) {
    return link.findAllAsync(cache, keys);
  }

  /** {@link #find} without holding a thread (see {@link SharedLink#findAsync}). */
  java.util.concurrent.CompletableFuture<SharedLink.Found> findAsync(String key) {
    return link.findAsync(cache, key);
  }

  /** One lookup (or a wait for another instance's load); never throws. */
  SharedLink.Found find(String key) {
    return link.find(cache, key);
  }

  /**
   * The hit's value, or null if its bytes do not decode: counted as a tier failure, and logged in
   * one line (no stack trace) for the first of a run of failures that lasts until a value decodes.
   * {@code key} is only logged: the cache's key, so that a hit does not build its name again.
   */
  V decode(Object key, SharedEntry entry) {
    V value;
    try {
      value = codec.decode(entry.value());
    } catch (RuntimeException e) {
      link.failures.increment();
      String reason = RoundTripCheck.firstLine(e);
      if (undecodable.compareAndSet(false, true)) {
        log.warn(
            "cache '{}': the shared value of {} does not decode with {} ({}); loading it from the"
                + " source. Until a shared value decodes again, those that do not are counted as"
                + " sharedFailures and logged at debug only",
            cache,
            key,
            codec,
            reason);
      } else {
        log.debug("cache '{}': the shared value of {} does not decode: {}", cache, key, reason);
      }
      return null;
    }
    if (undecodable.get()) {
      undecodable.set(false); // read first: no write on every hit
    }
    return value;
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
    } catch (RoundTripCheck.Undecodable e) {
      link.unencodable.increment();
      if (e.first) {
        log.warn(
            "cache '{}': values of {} encode but do not decode with {} ({}); serving them"
                + " without sharing them: {}",
            cache,
            e.type.getName(),
            codec,
            e.reason,
            codec.fix());
      } else {
        log.debug("cache '{}': not sharing {}: {}", cache, key, e.getMessage());
      }
      link.release(cache, key, lease);
      return;
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
   * The put's bytes, before anything changes; a clear error if the codec cannot encode it or values
   * of its class do not decode, ending with {@code nothing}: what the refused put left stored.
   */
  byte[] encodeForPut(Object key, V value, String nothing) {
    try {
      return codec.encode(value);
    } catch (RoundTripCheck.Undecodable e) {
      throw new IllegalArgumentException(
          "cache '"
              + cache
              + "': the value of "
              + key
              + " cannot be shared: values of "
              + e.type.getName()
              + " encode but do not decode with "
              + codec
              + " ("
              + e.reason
              + "); "
              + nothing
              + ": "
              + codec.fix(),
          e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cache '"
              + cache
              + "': the value of "
              + key
              + " cannot be encoded for the shared tier by "
              + codec
              + " ("
              + RoundTripCheck.firstLine(e)
              + "); "
              + nothing
              + ". Make the value serialisable or set .valueCodec(...)",
          e);
    }
  }

  /**
   * Stores a put in the tier (waits, bounded); a derived entry is invalidated there instead. False
   * if the tier did not confirm: it may still hold the key's old value.
   */
  boolean put(String key, byte[] bytes, Entry<V> entry) {
    if (entry.meta.sources().length != 0) {
      return link.awaitAll(
          List.of(
              link.start(() -> link.tier.invalidate(cache, List.of(key)), "invalidate", false)));
    }
    long lifetime = Math.max(0, entry.freshUntil() - entry.writtenAt);
    return link.put(cache, key, entry(bytes, entry.meta.version(), entry.meta.tags(), lifetime));
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
