package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one group instance has invalidated, and when, on a logical clock.
 *
 * <p>Every entry records the clock when its load started (or its put happened). Invalidating a tag
 * stamps the tag with a new tick; an entry carrying the tag is dead if the stamp is newer than the
 * entry. That is why a tag invalidation costs one map write however many entries carry the tag: the
 * entries are judged when they are read, not found and removed.
 *
 * <p>Keys are stamped the same way, with the version they were invalidated at, so that a fill whose
 * source keys (or own version) were invalidated while it loaded is refused. Key stamps are kept for
 * a horizon (10 minutes by default); a fill that took longer than that and needs them is refused as
 * unverifiable. Tag stamps are kept until there are too many, then the oldest half is dropped and a
 * floor rises: tagged entries older than the floor count as invalidated, which is conservative
 * (extra misses), never stale.
 */
final class InvalidationHistory {

  static final long NO_VERSION = Long.MIN_VALUE;
  static final int MAX_TAGS = 1_000_000;

  private final AtomicLong clock = new AtomicLong();
  private final Map<String, Long> tags = new ConcurrentHashMap<>();

  /**
   * The tags whose newest invalidation arrived on the bus, for removal listeners; read only when a
   * tag-invalidated entry leaves, never on a hit.
   */
  private final Map<String, Boolean> tagsByBus = new ConcurrentHashMap<>();

  private final KeyStamps keys;
  private final Ticker ticker;
  private final long horizonNanos;
  private final int maxTags;
  private volatile long tagFloor;

  /** Whether a cache of the group derives entries from other keys ({@code dependsOn}). */
  private volatile boolean derived;

  /**
   * The newest tick any tag was invalidated at (0: none yet). A tagged entry written after it needs
   * no lookup: the common case of a hit on a tagged entry is one volatile read.
   */
  private final AtomicLong lastTagTick = new AtomicLong();

  InvalidationHistory(Ticker ticker, Duration horizon, int maxTags) {
    this.ticker = ticker;
    this.horizonNanos = horizon.toNanos();
    this.maxTags = maxTags;
    this.keys = new KeyStamps(ticker, horizonNanos);
  }

  /** The current tick: what an entry or load records as its start. */
  long now() {
    return clock.get();
  }

  /** Ticker time, to judge a load against the horizon. */
  long time() {
    return ticker.read();
  }

  void invalidateTags(Collection<String> names, RemovalCause cause) {
    long tick = clock.incrementAndGet();
    lastTagTick.accumulateAndGet(tick, Math::max);
    boolean byBus = cause == RemovalCause.INVALIDATED_BY_BUS;
    for (String name : names) {
      if (byBus) {
        tagsByBus.put(name, Boolean.TRUE);
      } else {
        tagsByBus.remove(name);
      }
      tags.merge(name, tick, Math::max);
    }
    if (tags.size() > maxTags) {
      dropOldestTags();
    }
  }

  /**
   * Stamps the key. A stamp without a version is read only by a load of an entry derived from the
   * key ({@link #keysInvalidatedSince}), so in a group with no cache that derives entries it is
   * skipped unless the key holds a stamp already (whose horizon it renews): a receiver applying an
   * event for a key it never saw then pays one map look-up, not an insert. A cache that derives
   * entries says so ({@link #derivesEntries}) before its first load; a load that starts after this
   * tick never needs the stamp.
   */
  void invalidateKey(String key, long version) {
    long tick = clock.incrementAndGet();
    if (version == NO_VERSION && !derived && !keys.holds(key)) {
      return;
    }
    keys.stamp(key, tick, version);
  }

  /** From now on every key invalidation is stamped: a cache of the group derives entries. */
  void derivesEntries() {
    derived = true;
  }

  /** True if any of {@code names} was invalidated after {@code since}. */
  boolean tagsInvalidatedSince(String[] names, long since) {
    if (since >= lastTagTick.get()) {
      return false; // no tag at all was invalidated after since
    }
    if (since < tagFloor) {
      return true;
    }
    for (String name : names) {
      Long tick = tags.get(name);
      if (tick != null && tick > since) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why an entry with tags {@code names}, written at {@code since}, counts as invalidated: {@link
   * RemovalCause#INVALIDATED_BY_BUS} if the invalidation of one of them that did it came on the
   * bus, otherwise {@link RemovalCause#INVALIDATED}. Only for an entry {@link
   * #tagsInvalidatedSince} judged dead.
   */
  RemovalCause tagCause(String[] names, long since) {
    for (String name : names) {
      Long tick = tags.get(name);
      if (tick != null && tick > since && tagsByBus.containsKey(name)) {
        return RemovalCause.INVALIDATED_BY_BUS;
      }
    }
    return RemovalCause.INVALIDATED;
  }

  /** True if any of {@code names} was invalidated after {@code since}. */
  boolean keysInvalidatedSince(String[] names, long since) {
    for (String name : names) {
      KeyStamps.Stamp stamp = keys.get(name);
      if (stamp != null && stamp.tick() > since) {
        return true;
      }
    }
    return false;
  }

  /** The newest version a key was invalidated at within the horizon, or {@link #NO_VERSION}. */
  long invalidatedVersion(String key) {
    KeyStamps.Stamp stamp = keys.get(key);
    return stamp == null ? NO_VERSION : stamp.version();
  }

  /** Whether a load that started at ticker time {@code startedAt} can still be checked. */
  boolean withinHorizon(long startedAt) {
    return ticker.read() - startedAt < horizonNanos;
  }

  /** How many keys hold a stamp (some may be past the horizon and not yet forgotten). */
  int keyCount() {
    return keys.size();
  }

  int tagCount() {
    return tags.size();
  }

  private synchronized void dropOldestTags() {
    if (tags.size() <= maxTags) {
      return;
    }
    List<Long> ticks = new ArrayList<>(tags.values());
    ticks.sort(null);
    long cut = ticks.get(ticks.size() / 2);
    // Raise the floor before forgetting: a reader never sees neither the stamp nor the floor.
    tagFloor = Math.max(tagFloor, cut);
    tags.values().removeIf(tick -> tick <= cut);
    tagsByBus.keySet().removeIf(name -> !tags.containsKey(name));
  }
}
