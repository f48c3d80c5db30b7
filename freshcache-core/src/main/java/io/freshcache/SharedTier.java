package io.freshcache;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * The second tier: entries shared by every instance of a cache group, e.g. in Redis. Values travel
 * as bytes; the cache encodes and decodes them. Keys are named as on the bus (a cache's key prefix
 * and its {@link KeyCodec} form), within a cache of the group.
 *
 * <p>The stale-fill race stays closed across processes through leases: a lookup that misses takes a
 * lease on the key; any invalidation of the key voids it; a fill with a void lease is refused. The
 * lease also gives single-flight across instances: while one instance holds it, the others are told
 * so and wait for the value instead of loading it too; a lease expires after its hold time, so a
 * crashed holder blocks nobody for longer.
 *
 * <p>Every method completes exceptionally rather than throwing when the tier is unreachable; the
 * cache then reads through to the source. Implementations must be thread-safe.
 *
 * <p>Not yet used by {@link FreshCache}: the Redis implementation comes first, then the read path.
 */
public interface SharedTier extends AutoCloseable {

  /**
   * One round trip: the entry if it is stored and none of its tags was invalidated since; else, if
   * nobody holds the key's lease, a new lease for {@code holdFor}; else word that another instance
   * is loading it.
   */
  CompletableFuture<SharedLookup> lookup(String cache, String key, Duration holdFor);

  /**
   * Stores an entry if {@code lease} is still the key's lease (no invalidation since it was taken)
   * and no newer version is stored. Releases the lease either way.
   *
   * @return whether the entry was stored
   */
  CompletableFuture<Boolean> fill(String cache, String key, SharedEntry entry, String lease);

  /** Stores an entry unconditionally but for its version (a put), voiding the key's lease. */
  CompletableFuture<Boolean> put(String cache, String key, SharedEntry entry);

  /** Deletes the keys' entries and voids their leases, in batches. */
  CompletableFuture<Void> invalidate(String cache, Collection<String> keys);

  /** Invalidates every entry carrying any of the tags, at a cost independent of their number. */
  CompletableFuture<Void> invalidateTags(Collection<String> tags);

  /** Deletes every key of the cache matching the glob, scanning in batches (never KEYS). */
  CompletableFuture<Long> invalidatePattern(String cache, String glob);

  /** Deletes every entry of the cache. */
  CompletableFuture<Void> invalidateAll(String cache);

  @Override
  void close();
}
