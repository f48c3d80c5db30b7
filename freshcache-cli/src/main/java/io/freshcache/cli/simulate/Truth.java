package io.freshcache.cli.simulate;

import java.util.HashMap;
import java.util.Map;

/**
 * What the source had committed, and when: every row starts at version 1, committed before the run,
 * and each write commits the next version at a moment of virtual time. A read is judged against the
 * version committed {@code tolerance} before it started ({@link #staleness}). Not thread-safe: the
 * replay's thread alone writes and reads it.
 */
final class Truth {

  /** Commit times of versions 2, 3, ... of a key, in order. */
  private static final class History {
    long[] times = new long[2];
    int size;

    void add(long time) {
      if (size == times.length) {
        times = java.util.Arrays.copyOf(times, size * 2);
      }
      times[size++] = time;
    }

    /** The version committed at or before {@code time}. */
    long versionAt(long time) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (times[mid] <= time) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return 1 + lo;
    }
  }

  private final Map<String, History> histories = new HashMap<>();
  private final long toleranceNanos;

  /**
   * Judges reads with {@code toleranceNanos} of grace: a newer version younger than it is excused.
   */
  Truth(long toleranceNanos) {
    this.toleranceNanos = toleranceNanos;
  }

  long toleranceNanos() {
    return toleranceNanos;
  }

  /** The current version of {@code key}. */
  long current(String key) {
    History h = histories.get(key);
    return h == null ? 1 : 1 + h.size;
  }

  /** Records that {@code key}'s next version was committed at {@code nanos}; returns it. */
  long commit(String key, long nanos) {
    History h = histories.computeIfAbsent(key, k -> new History());
    h.add(nanos);
    return 1 + h.size;
  }

  /**
   * How stale a read that started at {@code startNanos} and returned {@code version} of {@code key}
   * was: 0 if it returned the version committed {@code tolerance} before it started, or a newer
   * one; otherwise how long before the read's start the first newer version was committed (at least
   * 1).
   */
  long staleness(String key, long version, long startNanos) {
    History h = histories.get(key);
    if (h == null) {
      return 0;
    }
    long due = h.versionAt(startNanos - toleranceNanos);
    if (version >= due) {
      return 0;
    }
    long newer = h.times[(int) Math.max(0, version - 1)];
    return Math.max(1, startNanos - newer);
  }

  /**
   * As {@link #staleness} for a value: its own row's, or the worst of the rows it was made from.
   */
  long staleness(DomainValue value, long startNanos) {
    if (value.inputs().isEmpty()) {
      return staleness(value.key(), value.version(), startNanos);
    }
    long worst = 0;
    for (Map.Entry<String, Long> input : value.inputs().entrySet()) {
      worst = Math.max(worst, staleness(input.getKey(), input.getValue(), startNanos));
    }
    return worst;
  }
}
