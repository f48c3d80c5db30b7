package io.freshcache.stats;

import java.time.Duration;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * An immutable snapshot of one cache's counters since it was built. A final class rather than a
 * record, so that a counter can be added without breaking anyone: build one with {@link
 * #builder()}, combine snapshots with {@link #plus} and {@link #minus}.
 */
public final class CacheStats {

  private enum Counter {
    HITS,
    STALE_HITS,
    MISSES,
    LOAD_SUCCESSES,
    LOAD_FAILURES,
    TOTAL_LOAD_NANOS,
    REFRESHES,
    STALE_IF_ERROR_SERVED,
    EVICTIONS,
    EXPIRATIONS,
    INVALIDATIONS,
    VOIDED_LOADS,
    VERSION_CONFLICTS,
    WRITES_FLUSHED,
    WRITE_FAILURES
  }

  private static final Counter[] COUNTERS = Counter.values();
  private static final CacheStats EMPTY = new CacheStats(new long[COUNTERS.length]);

  private final long[] counts;

  private CacheStats(long[] counts) {
    this.counts = counts;
  }

  /** All counters zero. */
  public static CacheStats empty() {
    return EMPTY;
  }

  /** A builder with every counter at zero. */
  public static Builder builder() {
    return new Builder();
  }

  /** The counters of both, added: for instance the totals of several caches or instances. */
  public CacheStats plus(CacheStats other) {
    long[] sum = counts.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.counts[i];
    }
    return new CacheStats(sum);
  }

  /**
   * These counters less {@code earlier}'s, floored at zero: what happened between two snapshots of
   * the same cache.
   */
  public CacheStats minus(CacheStats earlier) {
    long[] difference = counts.clone();
    for (int i = 0; i < difference.length; i++) {
      difference[i] = Math.max(0, difference[i] - earlier.counts[i]);
    }
    return new CacheStats(difference);
  }

  /** Reads answered with a fresh entry. */
  public long hits() {
    return counts[Counter.HITS.ordinal()];
  }

  /**
   * Reads answered at once with an expired entry: inside its stale-while-revalidate window, or
   * inside its stale-if-error window after its reload failed.
   */
  public long staleHits() {
    return counts[Counter.STALE_HITS.ordinal()];
  }

  /** Reads that had to wait for a load (including those joining another's load). */
  public long misses() {
    return counts[Counter.MISSES.ordinal()];
  }

  /** Loads (misses and refreshes) that returned a value. */
  public long loadSuccesses() {
    return counts[Counter.LOAD_SUCCESSES.ordinal()];
  }

  /** Loads that failed, including those answered by stale-if-error. */
  public long loadFailures() {
    return counts[Counter.LOAD_FAILURES.ordinal()];
  }

  /** Time spent in successful loads, in ticker nanoseconds. */
  public long totalLoadNanos() {
    return counts[Counter.TOTAL_LOAD_NANOS.ordinal()];
  }

  /** Background reloads started (refresh-ahead, probabilistic, stale-while-revalidate). */
  public long refreshes() {
    return counts[Counter.REFRESHES.ordinal()];
  }

  /**
   * Reads answered with the old value because the source was failing (the read whose load failed,
   * and the reads after it that did not try the source again).
   */
  public long staleIfErrorServed() {
    return counts[Counter.STALE_IF_ERROR_SERVED.ordinal()];
  }

  /** Entries removed to respect the size bound. */
  public long evictions() {
    return counts[Counter.EVICTIONS.ordinal()];
  }

  /** Entries that reached the end of their life, stale windows included. */
  public long expirations() {
    return counts[Counter.EXPIRATIONS.ordinal()];
  }

  /** Entries removed, or loads voided, by {@code invalidate*} calls. */
  public long invalidations() {
    return counts[Counter.INVALIDATIONS.ordinal()];
  }

  /**
   * Loads whose result was not stored because the key was invalidated or overwritten while they
   * ran.
   */
  public long voidedLoads() {
    return counts[Counter.VOIDED_LOADS.ordinal()];
  }

  /**
   * Puts refused and fills not stored because their version was older than one the cache already
   * knew.
   */
  public long versionConflicts() {
    return counts[Counter.VERSION_CONFLICTS.ordinal()];
  }

  /** Write-behind writes that reached the source. */
  public long writesFlushed() {
    return counts[Counter.WRITES_FLUSHED.ordinal()];
  }

  /** Write-behind batches the source refused (each is retried). */
  public long writeFailures() {
    return counts[Counter.WRITE_FAILURES.ordinal()];
  }

  /** Reads in all. */
  public long requests() {
    return hits() + staleHits() + misses();
  }

  /** Share of reads answered from the cache (fresh or stale), 1.0 when there were none. */
  public double hitRatio() {
    long requests = requests();
    return requests == 0 ? 1.0 : (double) (hits() + staleHits()) / requests;
  }

  /** Loads started, successful or not. */
  public long loads() {
    return loadSuccesses() + loadFailures();
  }

  /** Mean time of a successful load. */
  public Duration averageLoadTime() {
    long loads = loadSuccesses();
    return loads == 0 ? Duration.ZERO : Duration.ofNanos(totalLoadNanos() / loads);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheStats other && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    StringJoiner text = new StringJoiner(", ", "CacheStats[", "]");
    for (Counter counter : COUNTERS) {
      text.add(name(counter) + "=" + counts[counter.ordinal()]);
    }
    return text.toString();
  }

  private static String name(Counter counter) {
    String[] words = counter.name().toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
    }
    return name.toString();
  }

  /** Sets counters one by one; those not set stay zero. */
  public static final class Builder {

    private final long[] counts = new long[COUNTERS.length];

    private Builder() {}

    private Builder set(Counter counter, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(name(counter) + " must not be negative, was " + value);
      }
      counts[counter.ordinal()] = value;
      return this;
    }

    /** See {@link CacheStats#hits()}. */
    public Builder hits(long value) {
      return set(Counter.HITS, value);
    }

    /** See {@link CacheStats#staleHits()}. */
    public Builder staleHits(long value) {
      return set(Counter.STALE_HITS, value);
    }

    /** See {@link CacheStats#misses()}. */
    public Builder misses(long value) {
      return set(Counter.MISSES, value);
    }

    /** See {@link CacheStats#loadSuccesses()}. */
    public Builder loadSuccesses(long value) {
      return set(Counter.LOAD_SUCCESSES, value);
    }

    /** See {@link CacheStats#loadFailures()}. */
    public Builder loadFailures(long value) {
      return set(Counter.LOAD_FAILURES, value);
    }

    /** See {@link CacheStats#totalLoadNanos()}. */
    public Builder totalLoadNanos(long value) {
      return set(Counter.TOTAL_LOAD_NANOS, value);
    }

    /** See {@link CacheStats#refreshes()}. */
    public Builder refreshes(long value) {
      return set(Counter.REFRESHES, value);
    }

    /** See {@link CacheStats#staleIfErrorServed()}. */
    public Builder staleIfErrorServed(long value) {
      return set(Counter.STALE_IF_ERROR_SERVED, value);
    }

    /** See {@link CacheStats#evictions()}. */
    public Builder evictions(long value) {
      return set(Counter.EVICTIONS, value);
    }

    /** See {@link CacheStats#expirations()}. */
    public Builder expirations(long value) {
      return set(Counter.EXPIRATIONS, value);
    }

    /** See {@link CacheStats#invalidations()}. */
    public Builder invalidations(long value) {
      return set(Counter.INVALIDATIONS, value);
    }

    /** See {@link CacheStats#voidedLoads()}. */
    public Builder voidedLoads(long value) {
      return set(Counter.VOIDED_LOADS, value);
    }

    /** See {@link CacheStats#versionConflicts()}. */
    public Builder versionConflicts(long value) {
      return set(Counter.VERSION_CONFLICTS, value);
    }

    /** See {@link CacheStats#writesFlushed()}. */
    public Builder writesFlushed(long value) {
      return set(Counter.WRITES_FLUSHED, value);
    }

    /** See {@link CacheStats#writeFailures()}. */
    public Builder writeFailures(long value) {
      return set(Counter.WRITE_FAILURES, value);
    }

    /** The snapshot. */
    public CacheStats build() {
      return new CacheStats(counts.clone());
    }
  }
}
