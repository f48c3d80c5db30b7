package io.freshcache.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The history checker of the writer-side fault tests: one key whose value is {@code v<n>}, a writer
 * that moves it to the next version, and a reader whose every read is judged against a bound.
 *
 * <p>The writer calls {@link #superseded} when its call for version n+1 has returned (the moment
 * the old version n stops being current), naming from when the bound runs for it: that moment
 * itself, or a later one (for an invalidation made while the writer was cut off, the moment its
 * outbox got through). The reader calls {@link #read} with the time its read started. A read of
 * version n that started more than {@code bound} after the moment the bound runs from is stale
 * beyond the bound.
 */
final class StalenessHistory {

  private final long boundNanos;

  /** Per version: when its successor's call returned. */
  private final Map<Long, Long> supersededAt = new ConcurrentHashMap<>();

  /** Per version: the moment its bound runs from, when later than {@link #supersededAt}. */
  private final Map<Long, Long> boundFrom = new ConcurrentHashMap<>();

  /** Per version read: the latest start of a read that returned it (the reader's thread only). */
  private final Map<Long, Long> lastReadStart = new HashMap<>();

  private long reads;

  StalenessHistory(long boundNanos) {
    this.boundNanos = boundNanos;
  }

  /** The writer's call that replaced {@code version} returned at {@code now}. */
  void superseded(long version, long now) {
    supersededAt.put(version, now);
  }

  /** The bound for {@code version} runs from {@code from} (later than its supersession). */
  void boundFrom(long version, long from) {
    boundFrom.put(version, from);
  }

  /** The reader's read that started at {@code start} returned {@code value}. */
  void read(long start, String value) {
    reads++;
    long version = Long.parseLong(value.substring(1));
    lastReadStart.merge(version, start, Math::max);
  }

  long reads() {
    return reads;
  }

  /** Reads' worst lateness past their bound, in ms (negative: every read within it). */
  double worstPastBoundMillis() {
    long worst = Long.MIN_VALUE;
    for (Map.Entry<Long, Long> read : lastReadStart.entrySet()) {
      Long replaced = supersededAt.get(read.getKey());
      if (replaced == null) {
        continue; // still current
      }
      long from = Math.max(replaced, boundFrom.getOrDefault(read.getKey(), replaced));
      worst = Math.max(worst, read.getValue() - (from + boundNanos));
    }
    return worst == Long.MIN_VALUE ? -1 : worst / 1e6;
  }

  /** The longest a replaced version was read after it was replaced, in ms. */
  double worstStalenessMillis() {
    long worst = 0;
    for (Map.Entry<Long, Long> read : lastReadStart.entrySet()) {
      Long replaced = supersededAt.get(read.getKey());
      if (replaced != null) {
        worst = Math.max(worst, read.getValue() - replaced);
      }
    }
    return TimeUnit.NANOSECONDS.toMicros(worst) / 1e3;
  }
}
