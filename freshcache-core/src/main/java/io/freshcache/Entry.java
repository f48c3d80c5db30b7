package io.freshcache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A cached value with what the strategies need to judge it: when it was written and until when it
 * is fresh, how long it took to load, its version, the tags and source keys it was written with,
 * and how it has been read.
 *
 * <p>Immutable but for the read bookkeeping ({@code freshUntil} for sliding expiry, access count,
 * last access), which readers update racily: analytics tolerate a lost increment under contention
 * far better than every hit tolerates a contended atomic.
 */
final class Entry<V> {

  static final String[] NONE = new String[0];

  /**
   * The value of an entry that caches a source's "not found" (negative caching); never handed to
   * user code: the cache's public methods return {@code null} for it.
   */
  static final Object ABSENT =
      new Object() {
        @Override
        public String toString() {
          return "(not found)";
        }
      };

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

  /**
   * How many writes (loads, refreshes, puts) produced this key's value since it was cached. Set
   * before the entry is published to the map, never after.
   */
  long writes;

  /**
   * What the entry was written with beyond its value and times: its version, tags and dependencies
   * (and the invalidation tick its tags are judged from). Entries written with none of them share
   * {@link Meta#PLAIN}, so a plain entry pays one reference for all of it.
   */
  final Meta meta;

  private long freshUntil;
  private long accessCount;
  private long lastAccess;

  /** Set once the entry's expiry has been counted, so that it is counted once. */
  volatile boolean expiryCounted;

  /** Set once the entry left the store and its reads went into the key's rate. */
  private volatile boolean retired;

  /** Marks the entry as gone from the store; true the first time only. */
  boolean retire() {
    if (retired) {
      return false;
    }
    retired = true;
    return true;
  }

  /** Whether its reads went into the key's rate already. */
  boolean retired() {
    return retired;
  }

  /**
   * After a failed reload answered by stale-if-error: until this ticker time, reads get this entry
   * at once and nobody calls the failing source again.
   */
  volatile long retryAt;

  Entry(
      V value, long writtenAt, long freshFor, long loadNanos, long epoch, long writes, Meta meta) {
    this.value = value;
    this.writtenAt = writtenAt;
    this.loadNanos = loadNanos;
    this.epoch = epoch;
    this.writes = writes;
    this.meta = meta.isPlain() ? Meta.PLAIN : meta;
    this.freshUntil = Durations.saturatedAdd(writtenAt, freshFor);
    this.lastAccess = writtenAt;
  }

  /**
   * What an entry is written with, beyond its value and times: {@code since} is the group's
   * invalidation tick when the value's load started (or its put happened), against which its tags
   * are judged; {@code version} is {@link InvalidationHistory#NO_VERSION} if none; {@code node} is
   * the entry's node in the dependency graph, or null if it declares no {@code sources}.
   */
  record Meta(
      long since, long version, String[] tags, DependencyGraph.Node node, String[] sources) {

    /** No version, tags or dependencies; its {@code since} is never read (no tags to judge). */
    static final Meta PLAIN = new Meta(0, InvalidationHistory.NO_VERSION, NONE, null, NONE);

    boolean isPlain() {
      return version == InvalidationHistory.NO_VERSION
          && tags.length == 0
          && node == null
          && sources.length == 0;
    }
  }

  /** Whether this entry caches "not found" rather than a value. */
  boolean isAbsent() {
    return value == ABSENT;
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

  /**
   * Counts a read, writing to the entry as seldom as the analytics allow: a hot key's entry is read
   * by every core, and a write on every hit makes its cache line bounce between them. The count is
   * exact up to {@link #EXACT_READS}; beyond, each read adds {@code step} with probability {@code
   * 1/step} (chosen at random), an unbiased estimate, where {@code step} grows with the count (a
   * power of two, {@code count / EXACT_READS} rounded down), so a key read a million times is
   * written about once per thousand reads and the estimate stays within a few percent. The last
   * access is kept to {@link #ACCESS_GRANULARITY} ticker nanoseconds.
   */
  void recordAccess(long now) {
    long count = (long) ACCESS_COUNT.getOpaque(this);
    long step = sampleStep(count);
    if (step == 1 || sampled(step)) {
      ACCESS_COUNT.setOpaque(this, count + step);
    }
    if (now - (long) LAST_ACCESS.getOpaque(this) >= ACCESS_GRANULARITY) {
      LAST_ACCESS.setOpaque(this, now);
    }
  }

  /**
   * How much one sampled read adds once {@code count} reads were counted: 1 (every read) up to
   * {@link #EXACT_READS}, then {@code count / EXACT_READS} rounded down to a power of two.
   */
  static long sampleStep(long count) {
    return count < EXACT_READS ? 1 : Long.highestOneBit(count / EXACT_READS);
  }

  /** True with probability {@code 1 / step}, {@code step} a power of two. */
  static boolean sampled(long step) {
    return (ThreadLocalRandom.current().nextLong() & (step - 1)) == 0;
  }

  /** Reads counted one by one; beyond, sampled (see {@link #recordAccess}). */
  static final long EXACT_READS = 1_024;

  /** The last access is written only once it is this much older (ticker nanoseconds): 1 ms. */
  static final long ACCESS_GRANULARITY = 1_000_000;

  boolean isFresh(long now) {
    return now < freshUntil();
  }

  /** Until when this entry must stay in memory: its freshness plus the longest stale window. */
  long retainUntil(long staleRetentionNanos) {
    return Durations.saturatedAdd(freshUntil(), staleRetentionNanos);
  }
}
