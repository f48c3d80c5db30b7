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
  private final Ticker ticker;

  AccessRates(long maximumSize, Ticker ticker) {
    this.ticker = ticker;
    this.rates =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .expireAfterAccess(2 * WINDOW, TimeUnit.NANOSECONDS)
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
  }

  /** Counts {@code reads} reads of {@code key} at ticker time {@code now}. */
  void record(K key, long now, long reads) {
    Rate rate = rates.getIfPresent(key);
    if (rate == null) {
      rate = rates.get(key, k -> new Rate(now)); // the capturing function only for a new key
    }
    synchronized (rate) {
      if (now - rate.since > WINDOW) {
        rate.count /= 2;
        rate.since = now - WINDOW / 2;
      }
      rate.count += reads;
    }
  }

  /** Reads per second of {@code key} over its recent window; 0 for a key never read. */
  double perSecond(K key) {
    Rate rate = rates.getIfPresent(key);
    if (rate == null) {
      return 0.0;
    }
    long now = ticker.read();
    synchronized (rate) {
      long span = Math.max(MIN_SPAN, now - rate.since);
      return rate.count / (span / 1e9);
    }
  }
}
