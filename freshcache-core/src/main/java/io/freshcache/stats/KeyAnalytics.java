package io.freshcache.stats;

import java.time.Duration;

/**
 * What the cache knows of one key's entry, at the moment it was asked.
 *
 * @param key the key
 * @param age time since the entry was written
 * @param ttlRemaining freshness left; zero once expired (a stale entry may still be served)
 * @param fresh whether the entry is fresh now
 * @param accessCount reads answered by this entry: exact up to 1,024, then an unbiased sample (one
 *     read in 16 counts 16), so that a hot key's hits do not all write to it
 * @param sinceLastAccess time since the last read (or the write, if never read), to a millisecond
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
    double readsPerSecond) {}
