package io.freshcache;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link FreshCache#put} reaches the source of truth.
 *
 * <ul>
 *   <li>{@link #through}: the source first, then the cache, under a per-key lock so that two
 *       writers of one key leave the cache holding what the source holds; other instances drop
 *       their copy. A put the cache refuses (an older {@link Version}, a dependency cycle, a value
 *       the shared tier cannot encode) is refused before the source is written. A source failure
 *       reaches the caller and leaves the cache as it was.
 *   <li>{@link #around}: the source, then an invalidation everywhere; the next read loads.
 *   <li>{@link #behind}: the cache at once, the source later, in order, coalesced per key and in
 *       batches, retried with backoff until it takes them. {@link FreshCache#close()} flushes what
 *       is pending. Until a write is flushed, other instances may load the old value from the
 *       source; after the flush they are told to drop it.
 * </ul>
 *
 * <p>Immutable.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Writes<K, V> {

  enum Mode {
    THROUGH,
    AROUND,
    BEHIND
  }

  final Mode mode;
  final Writer<K, V> writer;
  final int batchSize;
  final Duration flushEvery;
  final Duration minBackoff;
  final Duration maxBackoff;
  final WriteBehindListener<K> listener;
  final Duration closeTimeout;

  private Writes(
      Mode mode,
      Writer<K, V> writer,
      int batchSize,
      Duration flushEvery,
      Duration minBackoff,
      Duration maxBackoff,
      WriteBehindListener<K> listener,
      Duration closeTimeout) {
    this.mode = mode;
    this.writer = Objects.requireNonNull(writer, "writer must not be null");
    this.batchSize = batchSize;
    this.flushEvery = flushEvery;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.listener = listener;
    this.closeTimeout = closeTimeout;
  }

  private static <K, V> Writes<K, V> of(Mode mode, Writer<K, V> writer) {
    return new Writes<>(
        mode,
        writer,
        100,
        Duration.ofMillis(100),
        Duration.ofMillis(50),
        Duration.ofSeconds(10),
        WriteBehindListener.none(),
        Duration.ofSeconds(30));
  }

  /** Write-through: the source, then the cache. */
  public static <K, V> Writes<K, V> through(Writer<K, V> writer) {
    return of(Mode.THROUGH, writer);
  }

  /** Write-around: the source, then invalidate everywhere. */
  public static <K, V> Writes<K, V> around(Writer<K, V> writer) {
    return of(Mode.AROUND, writer);
  }

  /** Write-behind: the cache now, the source later. Defaults: batches of 100, every 100 ms. */
  public static <K, V> Writes<K, V> behind(Writer<K, V> writer) {
    return of(Mode.BEHIND, writer);
  }

  /** Write-behind: the most writes one {@link Writer#writeAll} call gets. */
  public Writes<K, V> batchSize(int batchSize) {
    requireBehind("batchSize");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
    }
    return new Writes<>(
        mode, writer, batchSize, flushEvery, minBackoff, maxBackoff, listener, closeTimeout);
  }

  /** Write-behind: how long a write may wait for its batch to fill before it is flushed anyway. */
  public Writes<K, V> flushEvery(Duration interval) {
    requireBehind("flushEvery");
    Durations.requirePositive(interval, "flushEvery");
    return new Writes<>(
        mode, writer, batchSize, interval, minBackoff, maxBackoff, listener, closeTimeout);
  }

  /** Write-behind: the pause after a failed flush, doubling from {@code min} up to {@code max}. */
  public Writes<K, V> retryBackoff(Duration min, Duration max) {
    requireBehind("retryBackoff");
    Durations.requireNonNegative(min, "min backoff");
    Durations.requirePositive(max, "max backoff");
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("min backoff " + min + " is greater than max " + max);
    }
    return new Writes<>(mode, writer, batchSize, flushEvery, min, max, listener, closeTimeout);
  }

  /** Write-behind: told of every flush and every failed attempt. */
  public Writes<K, V> listener(WriteBehindListener<K> listener) {
    requireBehind("listener");
    return new Writes<>(
        mode,
        writer,
        batchSize,
        flushEvery,
        minBackoff,
        maxBackoff,
        Objects.requireNonNull(listener),
        closeTimeout);
  }

  /**
   * Write-behind: how long {@link FreshCache#close()} keeps retrying what is pending before it
   * gives up and throws a {@link WriteBehindException} holding the unflushed writes. Default: 30 s.
   */
  public Writes<K, V> closeTimeout(Duration timeout) {
    requireBehind("closeTimeout");
    Durations.requireNonNegative(timeout, "closeTimeout");
    return new Writes<>(
        mode, writer, batchSize, flushEvery, minBackoff, maxBackoff, listener, timeout);
  }

  private void requireBehind(String setting) {
    if (mode != Mode.BEHIND) {
      throw new IllegalStateException(setting + " applies to write-behind only, not to " + this);
    }
  }

  @Override
  public String toString() {
    return switch (mode) {
      case THROUGH -> "write-through";
      case AROUND -> "write-around";
      case BEHIND -> "write-behind(batch " + batchSize + ", every " + flushEvery + ")";
    };
  }
}
