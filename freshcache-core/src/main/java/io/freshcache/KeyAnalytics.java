package io.freshcache;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * What the cache knows of one key's entry, at the moment it was asked.
 *
 * @param key the key
 * @param age time since the entry was written
 * @param ttlRemaining freshness left; zero once expired (a stale entry may still be served)
 * @param fresh whether the entry is fresh now
 * @param accessCount reads answered by this entry
 * @param sinceLastAccess time since the last read (or the write, if never read)
 * @param writes loads, refreshes and puts that wrote this key's value since it was cached
 * @param hitRateEstimate share of this key's reads answered from the cache: {@code accessCount /
 *     (accessCount + writes)}, counting each write as the miss that caused it
 * @param readsPerSecond reads of this entry per second of its age
 */
public record KeyAnalytics<K>(
    K key,
    Duration age,
    Duration ttlRemaining,
    boolean fresh,
    long accessCount,
    Duration sinceLastAccess,
    long writes,
    double hitRateEstimate,
    double readsPerSecond) {

  /** What an entry tells of its key at ticker time {@code now}. */
  static <K> KeyAnalytics<K> of(K key, Entry<?> entry, long now) {
    long age = Math.max(0, now - entry.writtenAt);
    long freshUntil = entry.freshUntil();
    Duration ttlRemaining =
        freshUntil == Expiry.NEVER
            ? ChronoUnit.FOREVER.getDuration()
            : Duration.ofNanos(Math.max(0, freshUntil - now));
    long accesses = entry.accessCount();
    double hitRate = (double) accesses / (accesses + Math.max(1, entry.writes));
    double perSecond = age == 0 ? 0.0 : accesses / (age / 1e9);
    return new KeyAnalytics<>(
        key,
        Duration.ofNanos(age),
        ttlRemaining,
        now < freshUntil,
        accesses,
        Duration.ofNanos(Math.max(0, now - entry.lastAccess())),
        entry.writes,
        hitRate,
        perSecond);
  }
}
