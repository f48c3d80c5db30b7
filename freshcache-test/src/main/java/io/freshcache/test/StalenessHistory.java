package io.freshcache.test;

import io.freshcache.CacheGroup;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The history checker of a bus's writer-side fault tests: one key whose value is {@code v<n>}, a
 * writer that moves it to the next version, and a reader whose every read is judged against a
 * bound.
 *
 * <p>The writer calls {@link #superseded} when its call for version n+1 has returned (the moment
 * the old version n stops being current), naming from when the bound runs for it: that moment
 * itself, or a later one (for an invalidation made while the writer was cut off, the moment its
 * outbox got through). The reader calls {@link #read} with the time its read started. A read of
 * version n that started more than {@code bound} after the moment the bound runs from is stale
 * beyond the bound.
 *
 * <p>Any number of reader threads may call {@link #read}; the writer's calls may come from another
 * thread.
 */
public final class StalenessHistory {

  private final long boundNanos;

  /** Per version: when its successor's call returned. */
  private final Map<Long, Long> supersededAt = new ConcurrentHashMap<>();

  /** Per version: the moment its bound runs from, when later than {@link #supersededAt}. */
  private final Map<Long, Long> boundFrom = new ConcurrentHashMap<>();

  /** Per version read: the latest start of a read that returned it. */
  private final Map<Long, Long> lastReadStart = new ConcurrentHashMap<>();

  private final LongAdder reads = new LongAdder();

  /** A history whose reads are judged against {@code boundNanos}. */
  public StalenessHistory(long boundNanos) {
    this.boundNanos = boundNanos;
  }

  /** The writer's call that replaced {@code version} returned at {@code now}. */
  public void superseded(long version, long now) {
    supersededAt.put(version, now);
  }

  /** The bound for {@code version} runs from {@code from} (later than its supersession). */
  public void boundFrom(long version, long from) {
    boundFrom.put(version, from);
  }

  /**
   * Waits, at most {@code within}, for the writer group's outbox to be seen empty, and lets the
   * bound of every one of {@code versions} (replaced while the writer could not publish) run from
   * that moment: "δ after reconnection". Returns the moment; fails if the outbox did not empty.
   */
  public long boundFromDrain(CacheGroup writer, Collection<Long> versions, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (writer.stats().outboxDepth() != 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "the writer's outbox still holds "
                + writer.stats().outboxDepth()
                + " invalidations "
                + within
                + " after the heal");
      }
      Thread.onSpinWait();
    }
    long drained = System.nanoTime();
    versions.forEach(v -> boundFrom(v, drained));
    return drained;
  }

  /**
   * Starts a thread that reads with {@code read} until {@code stop} is set, judging each read,
   * parking {@code pauseNanos} between reads (0: none).
   */
  public Thread reader(Supplier<String> read, AtomicBoolean stop, long pauseNanos) {
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                long start = System.nanoTime();
                read(start, read.get());
                if (pauseNanos > 0) {
                  LockSupport.parkNanos(pauseNanos);
                }
              }
            },
            "reader");
    reader.start();
    return reader;
  }

  /** The reader's read that started at {@code start} returned {@code value}. */
  public void read(long start, String value) {
    reads.increment();
    long version = Long.parseLong(value.substring(1));
    lastReadStart.merge(version, start, Math::max);
  }

  /** How many reads were judged. */
  public long reads() {
    return reads.sum();
  }

  /** Reads' worst lateness past their bound, in ms (negative: every read within it). */
  public double worstPastBoundMillis() {
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
  public double worstStalenessMillis() {
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
