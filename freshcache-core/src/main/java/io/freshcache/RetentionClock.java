package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The clock Caffeine keeps the store's retention by: the cache's own ticker as last read by the
 * cache, never ahead of it and at most {@link #GRANULARITY} behind it at any read or write.
 *
 * <p>Why: a hit reads the ticker once, to judge freshness, and Caffeine would read it a second time
 * to judge its expiry. Caffeine's expiry here only frees memory ({@link Retention}), so it can do
 * with the time the cache already read: a hit that finds this clock a millisecond or more behind
 * moves it (at most one shared write per millisecond), every other hit only reads it. Being behind
 * can only keep an entry in memory a little longer, never drop it early: {@link Retention} adds
 * twice the granularity to the retention Caffeine enforces, to cover a write stamped up to one
 * granularity early.
 *
 * <p>Calls that account for the store ({@code estimatedSize}, analytics) move it to the exact
 * ticker time first ({@link #sync}), so a test's fake clock sees expired entries leave at once.
 */
final class RetentionClock implements Ticker {

  /** How far behind the ticker this clock may be after a read or write: 1 ms. */
  static final long GRANULARITY = 1_000_000;

  private static final VarHandle TIME;

  static {
    try {
      TIME = MethodHandles.lookup().findVarHandle(RetentionClock.class, "time", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ticker ticker;
  private volatile long time;

  RetentionClock(Ticker ticker) {
    this.ticker = ticker;
    this.time = ticker.read();
  }

  /** The cache's time as last recorded; what Caffeine reads. */
  @Override
  public long read() {
    return time;
  }

  /** Records {@code now}, read from the cache's ticker, if this clock is a granularity behind. */
  void advance(long now) {
    if (now - time >= GRANULARITY) {
      moveTo(now);
    }
  }

  /** Records the ticker's exact time now. */
  void sync() {
    moveTo(ticker.read());
  }

  private void moveTo(long now) {
    long seen;
    do {
      seen = time;
      if (now - seen <= 0) {
        return; // never backwards: another thread recorded a later read
      }
    } while (!TIME.compareAndSet(this, seen, now));
  }
}
