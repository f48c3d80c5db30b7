package io.freshcache.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The second tier: entries shared by every instance of a cache group, e.g. in Redis. Values travel
 * as bytes; the cache encodes and decodes them. Keys are named as on the bus (a cache's key prefix
 * and its {@link io.freshcache.KeyCodec} form), within a cache of the group.
 *
 * <p>The stale-fill race stays closed across processes through leases: a lookup that misses takes a
 * lease on the key; any invalidation of the key voids it; a fill with a void lease is refused. The
 * lease also gives single-flight across instances: while one instance holds it, the others are told
 * so and wait for the value instead of loading it too; a lease expires after its hold time, so a
 * crashed holder blocks nobody for longer.
 *
 * <p>Bad arguments (null or oversized names, a glob that would match everything) throw at once and
 * change nothing; a tier that is unreachable or failing makes the future complete exceptionally,
 * and the cache then reads through to the source. Implementations must be thread-safe.
 *
 * <p>How the cache uses it ({@link io.freshcache.CacheGroupBuilder#shared}): a local miss makes one
 * {@link #lookup} from inside its local flight; a {@code getAll} makes one {@link #lookupAll} of
 * the keys it misses locally. A hit fills the local entry (through the same guards as a load) and
 * the source is not called; a lease means load, then {@link #fill} without waiting for the answer,
 * or {@link #release} if the load failed or is not to be shared; "loading elsewhere" means poll
 * until the other instance's fill lands or the lease passes to this one, for at most the lease's
 * hold time, then load. Puts call {@link #put}. {@code io.freshcache.redis.RedisSharedTier}
 * implements it.
 *
 * <p><b>Who keeps it in step with invalidations.</b> Every freshcache publisher (an instance of the
 * group, or {@code freshcache invalidate}; its events carry a {@code source}) applies an
 * invalidation to the tier before it publishes it, so that no instance reacting to the event can
 * read the old value back. A receiver applies an event to the tier only if it carries no source:
 * its publisher knows only the plain JSON format and touched nothing. An invalidation that names no
 * cache reaches every cache of the namespace ({@link #invalidateInEveryCache} and the like), not
 * only the caches its publisher holds: the tier remembers which caches the namespace has (every
 * cache that was ever looked up, filled or put through it, by any instance).
 */
public interface SharedTier extends AutoCloseable {

  /**
   * What the tier talks to, as log lines name it ("Redis"): where a tier change waits to get
   * through to.
   */
  default String serverName() {
    return "the shared tier";
  }

  /**
   * The namespace (cache group) whose entries this tier holds, or {@code null} if it serves any. A
   * group refuses a tier of another namespace.
   */
  default String namespace() {
    return null;
  }

  /**
   * Opens a tier for a namespace: what a group is handed when it is to own its tier ({@link
   * io.freshcache.CacheGroupBuilder#shared(Opener)}). A tier builder implements it, so the
   * namespace is given once, to the group.
   */
  @FunctionalInterface
  interface Opener {
    /** A new tier for {@code namespace}, which the caller owns and closes. */
    SharedTier open(String namespace);
  }

  /**
   * One round trip: the entry if it is stored and none of its tags was invalidated since; else, if
   * nobody holds the key's lease, a new lease for {@code holdFor}; else word that another instance
   * is loading it.
   */
  CompletableFuture<SharedLookup> lookup(String cache, String key, Duration holdFor);

  /**
   * {@link #lookup} of each key of one cache, answered in the keys' order: each answer means what a
   * lookup's would, and each key's lease is its own. A tier that can should answer them all in one
   * round trip; the default sends every {@link #lookup} before awaiting any (one round trip on a
   * tier that pipelines) and fails if any of them fails. A tier that throws at once on a bad key
   * may, under the default, have looked up the keys before it: implementations that can check every
   * key first should override this.
   *
   * @param keys the keys, without duplicates (a second lookup of a key would find the first's lease
   *     and answer "loading elsewhere")
   */
  default CompletableFuture<List<SharedLookup>> lookupAll(
      String cache, List<String> keys, Duration holdFor) {
    List<CompletableFuture<SharedLookup>> lookups = new ArrayList<>(keys.size());
    for (String key : keys) {
      lookups.add(lookup(cache, key, holdFor));
    }
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<SharedLookup> found = new ArrayList<>(lookups.size());
              lookups.forEach(lookup -> found.add(lookup.join()));
              return found;
            });
  }

  /**
   * Stores an entry if {@code lease} is still the key's lease — the key was not invalidated, and
   * none of the entry's tags was invalidated, since the lease was taken — and no newer version is
   * stored (an equal version replaces it). Releases the lease if it is still the caller's.
   *
   * @return whether the entry was stored
   */
  CompletableFuture<Boolean> fill(String cache, String key, SharedEntry entry, String lease);

  /**
   * Drops the key's lease if it is still {@code lease}, in one atomic step, so that instances
   * waiting for this caller's fill load at once; used when a load failed or its value is not to be
   * shared. Never touches the key's entry: a put may have stored a newer value meanwhile. A lease
   * that was voided, has expired or has passed to another caller is left alone.
   *
   * @return whether the lease was dropped
   */
  CompletableFuture<Boolean> release(String cache, String key, String lease);

  /**
   * Stores an entry unless a newer version is stored (a put), and voids the key's lease either way,
   * so a load racing the put cannot fill.
   */
  CompletableFuture<Boolean> put(String cache, String key, SharedEntry entry);

  /** Deletes the keys' entries and voids their leases, in batches. */
  CompletableFuture<Void> invalidate(String cache, Collection<String> keys);

  /** Invalidates every entry carrying any of the tags, at a cost independent of their number. */
  CompletableFuture<Void> invalidateTags(Collection<String> tags);

  /**
   * Deletes every key of the cache matching the glob ({@code *}, {@code ?}, {@code \} escapes;
   * everything else literal), scanning in batches (never KEYS), and voids their leases.
   *
   * @return how many entries were deleted
   */
  CompletableFuture<Long> invalidatePattern(String cache, String glob);

  /** Deletes every entry of the cache. */
  CompletableFuture<Void> invalidateAll(String cache);

  // Invalidations that name no cache. Separate methods rather than a null cache: a null that slips
  // through by mistake fails, instead of clearing the whole namespace.

  /**
   * {@link #invalidate} in every cache of the namespace: those of every instance, including caches
   * the caller does not use. For an invalidation of keys that names no cache.
   */
  CompletableFuture<Void> invalidateInEveryCache(Collection<String> keys);

  /**
   * {@link #invalidatePattern} in every cache of the namespace. For a pattern that names no cache.
   *
   * @return how many entries were deleted
   */
  CompletableFuture<Long> invalidatePatternInEveryCache(String glob);

  /**
   * Deletes every entry of every cache of the namespace, and voids every lease; tags are left
   * alone. For an invalidation of everything that names no cache.
   */
  CompletableFuture<Void> invalidateEveryCache();

  @Override
  void close();
}
