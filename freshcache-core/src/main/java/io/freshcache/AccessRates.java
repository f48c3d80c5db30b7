package io.freshcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Each key's recent read rate, kept apart from its entries so that it survives expiry and
 * invalidation: an adaptive TTL needs to know how hot a key was when it reloads it. Only built when
 * the expiry asks for it. Counts age by halving once a key's window is older than {@code window}.
 */
final class AccessRates<K> {

  private static final long WINDOW = TimeUnit.MINUTES.toNanos(10);
  private static final long MIN_SPAN = TimeUnit.SECONDS.toNanos(1);

  private static final class Rate {
    long since;
    long count;

    Rate(long since) {
      this.since = since;
    }
  }

  private final Cache<K, Rate> rates;

  AccessRates(long maximumSize, Ticker ticker) {
    this.rates =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .expireAfterAccess(2 * WINDOW, TimeUnit.NANOSECONDS)
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
  }

  /**
   * Counts {@code reads} reads of {@code key}, made from ticker time {@code since} (an entry's
   * write, or {@code now} for one read) to {@code now}.
   */
  void record(K key, long now, long reads, long since) {
    Rate rate = rates.getIfPresent(key);
    if (rate == null) {
      rate = rates.get(key, k -> new Rate(since)); // the capturing function only for a new key
    }
    synchronized (rate) {
      if (since - rate.since < 0) {
        rate.since = since; // reads an entry held from before the key's first recorded miss
      }
      if (now - rate.since > WINDOW) {
        rate.count /= 2;
        rate.since = now - WINDOW / 2;
      }
      rate.count += reads;
    }
  }

  /**
   * Reads per second of {@code key} over its recent window, counting the reads {@code held} (the
   * entry in the store now, or null) made since its write unless they were counted already; 0 for a
   * key never read.
   */
  double perSecond(K key, Entry<?> held, long now) {
    long count = 0;
    long since = now;
    Rate rate = rates.getIfPresent(key);
    if (rate != null) {
      synchronized (rate) {
        count = rate.count;
        since = rate.since;
      }
    }
    if (held != null && !held.retired()) {
      count += held.accessCount();
      since = Math.min(since, held.writtenAt);
    }
    if (count == 0) {
      return 0.0;
    }
    long span = Math.max(MIN_SPAN, now - since);
    return count / (span / 1e9);
  }
}
