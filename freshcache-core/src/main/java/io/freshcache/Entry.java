package io.freshcache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A cached value with what the strategies need to judge it: when it was written, until when it is
 * fresh, how long it took to load, and how it has been read.
 *
 * <p>Immutable but for the read bookkeeping ({@code freshUntil} for sliding expiry, access count,
 * last access), which readers update racily: analytics tolerate a lost increment under contention
 * far better than every hit tolerates a contended atomic.
 */
final class Entry<V> {

  private static final VarHandle ACCESS_COUNT;
  private static final VarHandle LAST_ACCESS;
  private static final VarHandle FRESH_UNTIL;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ACCESS_COUNT = lookup.findVarHandle(Entry.class, "accessCount", long.class);
      LAST_ACCESS = lookup.findVarHandle(Entry.class, "lastAccess", long.class);
      FRESH_UNTIL = lookup.findVarHandle(Entry.class, "freshUntil", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final V value;

  /** Ticker time of the write (put or completed load). */
  final long writtenAt;

  /** How long the load took, in ticker nanos; 0 for a put. */
  final long loadNanos;

  /** The cache's invalidate-all epoch this entry belongs to; an older epoch means invalidated. */
  final long epoch;

  /** How many writes (loads, refreshes, puts) produced this key's value since it was cached. */
  final long writes;

  private long freshUntil;
  private long accessCount;
  private long lastAccess;

  /** Set once the entry's expiry has been counted, so that it is counted once. */
  volatile boolean expiryCounted;

  Entry(V value, long writtenAt, long freshFor, long loadNanos, long epoch, long writes) {
    this.value = value;
    this.writtenAt = writtenAt;
    this.loadNanos = loadNanos;
    this.epoch = epoch;
    this.writes = writes;
    this.freshUntil = Durations.saturatedAdd(writtenAt, freshFor);
    this.lastAccess = writtenAt;
  }

  long freshUntil() {
    return (long) FRESH_UNTIL.getOpaque(this);
  }

  void setFreshUntil(long until) {
    FRESH_UNTIL.setOpaque(this, until);
  }

  long accessCount() {
    return (long) ACCESS_COUNT.getOpaque(this);
  }

  long lastAccess() {
    return (long) LAST_ACCESS.getOpaque(this);
  }

  void recordAccess(long now) {
    ACCESS_COUNT.setOpaque(this, (long) ACCESS_COUNT.getOpaque(this) + 1);
    LAST_ACCESS.setOpaque(this, now);
  }

  boolean isFresh(long now) {
    return now < freshUntil();
  }

  /** Until when this entry must stay in memory: its freshness plus the longest stale window. */
  long retainUntil(long staleRetentionNanos) {
    return Durations.saturatedAdd(freshUntil(), staleRetentionNanos);
  }
}
