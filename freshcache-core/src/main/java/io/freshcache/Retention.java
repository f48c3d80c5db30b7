package io.freshcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long the store keeps an entry in memory: its freshness plus the longest stale window, since
 * an expired entry is still needed to serve stale. Freshness itself is judged by {@link LocalCache}
 * on every read, with the time it read; this only frees memory, so it is chosen for what it costs a
 * hit. Three ways, decided once from the expiry policy:
 *
 * <ul>
 *   <li>{@link Mode#NONE}: the policy never expires ({@link Expiry#never()}): no Caffeine expiry at
 *       all, entries leave by size, invalidation or replacement. The cheapest hit.
 *   <li>{@link Mode#FIXED}: the policy's lifetimes have a known longest ({@code ttl}, with jitter,
 *       bounds, {@code sliding} up to its cap, {@code adaptive} up to its upper bound): Caffeine's
 *       {@code expireAfterWrite} with that longest plus the stale windows, on the {@link
 *       RetentionClock} (no second clock read on a hit). An entry may stay in memory up to that
 *       longest after it stopped being fresh, never less than it needs. A write with a longer
 *       lifetime ({@code put(key, value, ttl)}) widens it first, for every entry (logged once).
 *       Sliding freshness moves on the hit itself ({@link #afterHit}), once a millisecond at most.
 *   <li>{@link Mode#PER_ENTRY}: any other policy ({@code perEntry}, a user's own): Caffeine's
 *       per-entry expiry, each entry kept exactly its freshness plus the stale windows, and a
 *       policy's own {@code afterRead} applied on Caffeine's read callback. It costs hits what
 *       Caffeine's variable expiry costs (a timer wheel, a second clock read).
 * </ul>
 */
final class Retention<K, V> {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  /** A lifetime the store cannot know in advance. */
  static final long UNKNOWN = -1;

  enum Mode {
    NONE,
    FIXED,
    PER_ENTRY
  }

  private final String cache;
  private final Expiry<K, V> expiry;
  private final long staleRetention;
  private final Mode mode;
  private final boolean slides;
  private final RetentionClock clock;

  /** FIXED: the retention Caffeine enforces now, in nanoseconds; only grows. */
  private final AtomicLong fixedRetention = new AtomicLong();

  private volatile Policy.FixedExpiration<K, Entry<V>> fixed;
  private volatile boolean widened;

  Retention(String cache, Expiry<K, V> expiry, long staleRetention, Ticker ticker) {
    this.cache = cache;
    this.expiry = expiry;
    this.staleRetention = staleRetention;
    long longest = longest(expiry);
    if (longest == Expiry.NEVER) {
      mode = Mode.NONE;
    } else if (longest == UNKNOWN) {
      mode = Mode.PER_ENTRY;
    } else {
      mode = Mode.FIXED;
      fixedRetention.set(retentionFor(longest));
    }
    this.slides = mode == Mode.FIXED && slides(expiry);
    this.clock = mode == Mode.FIXED ? new RetentionClock(ticker) : null;
  }

  Mode mode() {
    return mode;
  }

  /** Sets the store's expiry and ticker on {@code caffeine}. */
  @SuppressWarnings("unchecked")
  Caffeine<K, Entry<V>> configure(Caffeine<Object, Object> caffeine, Ticker ticker) {
    return switch (mode) {
      case NONE -> (Caffeine<K, Entry<V>>) (Caffeine<?, ?>) caffeine.ticker(ticker);
      case FIXED ->
          (Caffeine<K, Entry<V>>)
              (Caffeine<?, ?>)
                  caffeine
                      .ticker(clock)
                      .expireAfterWrite(fixedRetention.get(), TimeUnit.NANOSECONDS);
      case PER_ENTRY ->
          caffeine.ticker(ticker).expireAfter(new PerEntry<K, V>(expiry, staleRetention));
    };
  }

  /** Once the store is built: where a wider retention is set. */
  void attach(Cache<K, Entry<V>> store) {
    if (mode == Mode.FIXED) {
      fixed = store.policy().expireAfterWrite().orElseThrow();
    }
  }

  /** A read at ticker time {@code now}: the only thing it may write is the clock, rarely. */
  void observe(long now) {
    if (clock != null) {
      clock.advance(now);
    }
  }

  /** Before the store accounts for itself: Caffeine's clock at the ticker's exact time. */
  void sync() {
    if (clock != null) {
      clock.sync();
    }
  }

  /**
   * Before an entry fresh for {@code lifetime} is written at ticker time {@code now}: makes sure
   * Caffeine will keep it long enough.
   */
  void beforeWrite(long lifetime, long now) {
    if (mode != Mode.FIXED) {
      return;
    }
    clock.advance(now);
    long needed = retentionFor(lifetime);
    long current = fixedRetention.get();
    if (needed <= current) {
      return;
    }
    while (needed > current && !fixedRetention.compareAndSet(current, needed)) {
      current = fixedRetention.get();
    }
    synchronized (this) {
      // Set under the lock the largest value asked for, so a slower smaller one cannot win.
      fixed.setExpiresAfter(fixedRetention.get(), TimeUnit.NANOSECONDS);
    }
    if (!widened) {
      widened = true;
      log.info(
          "cache '{}': a write fresh for {} outlives the expiry policy {}; entries are now kept in"
              + " memory up to {} after their write (freshness is still judged per entry; use"
              + " Expiry.perEntry for lifetimes that differ by design)",
          cache,
          describe(lifetime),
          expiry,
          describe(needed));
    }
  }

  /**
   * After a fresh hit at {@code now}: a sliding policy moves the entry's freshness. Written at most
   * once per {@link Entry#ACCESS_GRANULARITY} while it grows (a hot key's entry is read by every
   * core), at once when it shrinks (the cap), so freshness is never extended beyond what the policy
   * gives.
   */
  void afterHit(K key, Entry<V> entry, long now) {
    if (!slides || entry.isAbsent()) {
      return; // a cached "not found" keeps its own lifetime
    }
    long freshUntil = entry.freshUntil();
    long left = freshUntil - now;
    if (left <= 0 || freshUntil == Expiry.NEVER) {
      return;
    }
    long next = expiry.afterRead(key, entry.value, now - entry.writtenAt, left);
    long until = Durations.saturatedAdd(now, Math.max(0, next));
    if (until < freshUntil || until - freshUntil >= Entry.ACCESS_GRANULARITY) {
      entry.setFreshUntil(until);
    }
  }

  private long retentionFor(long lifetime) {
    if (lifetime == Expiry.NEVER) {
      return Long.MAX_VALUE;
    }
    return Durations.saturatedAdd(
        Durations.saturatedAdd(lifetime, staleRetention), 2 * RetentionClock.GRANULARITY);
  }

  private static String describe(long nanos) {
    return nanos >= Long.MAX_VALUE / 2 ? "ever" : Duration.ofNanos(nanos).toString();
  }

  /**
   * The longest freshness {@code expiry} can give an entry after its write (sliding included),
   * {@link Expiry#NEVER} if it never expires, {@link #UNKNOWN} if that cannot be known.
   */
  static long longest(Expiry<?, ?> expiry) {
    if (expiry instanceof FixedTtl<?, ?> ttl) {
      return ttl.nanos();
    }
    if (expiry instanceof Jitter<?, ?> jitter) {
      long base = longest(jitter.base());
      if (base == UNKNOWN || base == Expiry.NEVER) {
        return base;
      }
      double jittered = Math.ceil(base * (1.0 + jitter.fraction()));
      return jittered >= Expiry.NEVER ? Expiry.NEVER - 1 : (long) jittered;
    }
    if (expiry instanceof TtlBounds<?, ?> bounds) {
      return bounds.max();
    }
    if (expiry instanceof SlidingExpiry<?, ?> sliding) {
      return sliding.cap();
    }
    if (expiry instanceof AdaptiveTtl<?, ?> adaptive) {
      return adaptive.longest();
    }
    return UNKNOWN;
  }

  /** Whether {@code expiry} may move freshness on a read; true when it cannot be known. */
  static boolean slides(Expiry<?, ?> expiry) {
    if (expiry instanceof FixedTtl<?, ?> || expiry instanceof AdaptiveTtl<?, ?>) {
      return false;
    }
    if (expiry instanceof Jitter<?, ?> jitter) {
      return slides(jitter.base());
    }
    if (expiry instanceof TtlBounds<?, ?> bounds) {
      return slides(bounds.base());
    }
    return true;
  }

  /**
   * Caffeine's per-entry expiry: each entry kept its freshness plus the stale windows. Sliding
   * expiry moves an entry's freshness here, on Caffeine's read callback, which also moves
   * Caffeine's own deadline: one mechanism, no second timer.
   */
  static final class PerEntry<K, V>
      implements com.github.benmanes.caffeine.cache.Expiry<K, Entry<V>> {

    private final Expiry<K, V> expiry;
    private final long staleRetention;

    PerEntry(Expiry<K, V> expiry, long staleRetention) {
      this.expiry = expiry;
      this.staleRetention = staleRetention;
    }

    @Override
    public long expireAfterCreate(K key, Entry<V> entry, long now) {
      return remaining(entry, now);
    }

    @Override
    public long expireAfterUpdate(K key, Entry<V> entry, long now, long currentDuration) {
      return remaining(entry, now);
    }

    @Override
    public long expireAfterRead(K key, Entry<V> entry, long now, long currentDuration) {
      long freshUntil = entry.freshUntil();
      long freshLeft = freshUntil - now;
      if (freshLeft > 0 && freshUntil != Expiry.NEVER && !entry.isAbsent()) {
        long next = expiry.afterRead(key, entry.value, now - entry.writtenAt, freshLeft);
        if (next != freshLeft) {
          entry.setFreshUntil(Durations.saturatedAdd(now, Math.max(0, next)));
          return remaining(entry, now);
        }
      }
      return currentDuration;
    }

    private long remaining(Entry<V> entry, long now) {
      if (entry.freshUntil() == Expiry.NEVER) {
        return Long.MAX_VALUE;
      }
      return Math.max(0, entry.retainUntil(staleRetention) - now);
    }
  }
}
