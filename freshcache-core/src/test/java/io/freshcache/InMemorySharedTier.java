package io.freshcache;

import io.freshcache.event.Names;
import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.freshcache.spi.SharedTier;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SharedTier} in a map, for unit tests of the cache's side of the tier. Leases, versions,
 * tag invalidations and bad arguments behave as {@link SharedTier} states (freshcache-test runs the
 * shared-tier contract kit over it); entries never expire and leases are never timed out (a test
 * that needs either uses the Redis tier). Every call completes at once. Thread-safe (one lock).
 */
final class InMemorySharedTier implements SharedTier {

  private record Stored(SharedEntry entry, long at) {}

  private record Lease(String id, long at) {}

  private final Map<String, Stored> entries = new HashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();
  private final Map<String, Long> tagInvalidatedAt = new HashMap<>();
  private long clock;

  /** Stores bytes for a key as another instance would, e.g. bytes this cache cannot decode. */
  synchronized void store(String cache, String key, byte[] bytes) {
    entries.put(
        name(cache, key),
        new Stored(
            new SharedEntry(bytes, Long.MIN_VALUE, Duration.ofHours(1), List.of()), ++clock));
  }

  /** The bytes stored for a key, or null. */
  synchronized byte[] stored(String cache, String key) {
    Stored stored = entries.get(name(cache, key));
    return stored == null ? null : stored.entry().value();
  }

  /** How many entries are stored, over every cache. */
  synchronized int size() {
    return entries.size();
  }

  @Override
  public synchronized CompletableFuture<SharedLookup> lookup(
      String cache, String key, Duration holdFor) {
    String name = name(cache, key);
    Stored stored = entries.get(name);
    if (stored != null && !taggedSince(stored.entry(), stored.at())) {
      return CompletableFuture.completedFuture(SharedLookup.hit(stored.entry()));
    }
    if (leases.containsKey(name)) {
      return CompletableFuture.completedFuture(SharedLookup.busy());
    }
    Lease lease = new Lease("lease-" + ++clock, clock);
    leases.put(name, lease);
    return CompletableFuture.completedFuture(SharedLookup.leased(lease.id()));
  }

  @Override
  public synchronized CompletableFuture<Boolean> fill(
      String cache, String key, SharedEntry entry, String lease) {
    String name = name(cache, key);
    Objects.requireNonNull(entry, "entry must not be null");
    Objects.requireNonNull(lease, "lease must not be null");
    Lease held = leases.get(name);
    if (held == null || !held.id().equals(lease)) {
      return CompletableFuture.completedFuture(false);
    }
    leases.remove(name);
    if (taggedSince(entry, held.at()) || newerStored(name, entry)) {
      return CompletableFuture.completedFuture(false);
    }
    entries.put(name, new Stored(entry, ++clock));
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized CompletableFuture<Boolean> put(String cache, String key, SharedEntry entry) {
    String name = name(cache, key);
    Objects.requireNonNull(entry, "entry must not be null");
    leases.remove(name);
    if (newerStored(name, entry)) {
      return CompletableFuture.completedFuture(false);
    }
    entries.put(name, new Stored(entry, ++clock));
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized CompletableFuture<Void> invalidate(String cache, Collection<String> keys) {
    keys.forEach(key -> name(cache, key));
    for (String key : keys) {
      entries.remove(name(cache, key));
      leases.remove(name(cache, key));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> invalidateTags(Collection<String> tags) {
    tags.forEach(Names::requireTag);
    long now = ++clock;
    tags.forEach(tag -> tagInvalidatedAt.put(tag, now));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Long> invalidatePattern(String cache, String glob) {
    glob(glob);
    String prefix = Names.requireName(cache, "cache name") + "\0";
    long[] deleted = {0};
    entries
        .keySet()
        .removeIf(
            name -> {
              boolean match =
                  name.startsWith(prefix) && Names.matches(glob, name.substring(prefix.length()));
              deleted[0] += match ? 1 : 0;
              return match;
            });
    leases
        .keySet()
        .removeIf(
            name ->
                name.startsWith(prefix) && Names.matches(glob, name.substring(prefix.length())));
    return CompletableFuture.completedFuture(deleted[0]);
  }

  @Override
  public synchronized CompletableFuture<Void> invalidateAll(String cache) {
    String prefix = Names.requireName(cache, "cache name") + "\0";
    entries.keySet().removeIf(name -> name.startsWith(prefix));
    leases.keySet().removeIf(name -> name.startsWith(prefix));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Boolean> release(String cache, String key, String lease) {
    Objects.requireNonNull(lease, "lease must not be null");
    Lease held = leases.get(name(cache, key));
    if (held == null || !held.id().equals(lease)) {
      return CompletableFuture.completedFuture(false);
    }
    leases.remove(name(cache, key));
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized CompletableFuture<Void> invalidateInEveryCache(Collection<String> keys) {
    keys.forEach(key -> Names.requireKey(key, "key"));
    for (String key : keys) {
      entries.keySet().removeIf(name -> name.endsWith("\0" + key));
      leases.keySet().removeIf(name -> name.endsWith("\0" + key));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Long> invalidatePatternInEveryCache(String glob) {
    glob(glob);
    long before = entries.size();
    entries.keySet().removeIf(name -> Names.matches(glob, name.substring(name.indexOf('\0') + 1)));
    leases.keySet().removeIf(name -> Names.matches(glob, name.substring(name.indexOf('\0') + 1)));
    return CompletableFuture.completedFuture(before - entries.size());
  }

  @Override
  public synchronized CompletableFuture<Void> invalidateEveryCache() {
    entries.clear();
    leases.clear();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}

  private boolean taggedSince(SharedEntry entry, long at) {
    return entry.tags().stream().anyMatch(tag -> tagInvalidatedAt.getOrDefault(tag, 0L) > at);
  }

  private boolean newerStored(String name, SharedEntry entry) {
    Stored stored = entries.get(name);
    return stored != null && stored.entry().version() > entry.version();
  }

  private static String name(String cache, String key) {
    return Names.requireName(cache, "cache name") + "\0" + Names.requireKey(key, "key");
  }

  private static String glob(String glob) {
    Names.requireKey(glob, "pattern");
    if (Names.matchesEverything(glob)) {
      throw new IllegalArgumentException("the pattern \"" + glob + "\" matches every key");
    }
    return glob;
  }
}
