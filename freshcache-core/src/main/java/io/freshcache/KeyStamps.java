package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The newest invalidation of each key, on the history's logical clock, with the highest version it
 * was invalidated at, kept for a horizon of ticker time and then forgotten.
 *
 * <p>Every event a receiver applies stamps a key here, so a stamp must cost little: one map write,
 * and one queue entry the first time a key is stamped within the horizon. The queue holds each
 * stamped key once, oldest first; a stamp writer that finds the oldest key past the horizon (and no
 * other writer doing so) forgets it, or queues it again at its newest stamp's time if it was
 * stamped again since, up to {@link #FORGET_PER_STAMP} keys a stamp. Forgetting is a memory bound,
 * not part of the answer: a stamp older than the horizon is never answered, forgotten or not.
 */
final class KeyStamps {

  /** A key's newest stamp: the clock's tick, the highest version, the ticker time it was made. */
  record Stamp(long tick, long version, long time) {}

  private record Queued(String key, long time) {}

  /**
   * How many old keys one stamp forgets at most: a receiver's delivery thread must not stall on a
   * horizon's worth of keys running out at once (it holds the heartbeats behind it). More than the
   * one key a stamp adds, so the queue still drains.
   */
  static final int FORGET_PER_STAMP = 64;

  private final ConcurrentHashMap<String, Stamp> stamps = new ConcurrentHashMap<>();
  private final Queue<Queued> oldestFirst = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean forgetting = new AtomicBoolean();
  private final Ticker ticker;
  private final long horizonNanos;

  KeyStamps(Ticker ticker, long horizonNanos) {
    this.ticker = ticker;
    this.horizonNanos = horizonNanos;
  }

  /** Stamps {@code key} at {@code tick}, keeping the highest version it was stamped with. */
  void stamp(String key, long tick, long version) {
    long now = ticker.read();
    forgetOld(now); // first, so that a key queued again goes ahead of the one stamped now
    Stamp made = new Stamp(tick, version, now);
    Stamp before = stamps.putIfAbsent(key, made);
    while (before != null) {
      Stamp merged =
          new Stamp(
              Math.max(before.tick, tick),
              live(before, now) ? Math.max(before.version, version) : version,
              now);
      if (stamps.replace(key, before, merged)) {
        break;
      }
      before = stamps.putIfAbsent(key, made); // forgotten or replaced meanwhile: try again
    }
    if (before == null) {
      oldestFirst.add(new Queued(key, now));
    }
  }

  /** The key's stamp made within the horizon, or null. */
  Stamp get(String key) {
    Stamp stamp = stamps.get(key);
    return stamp != null && live(stamp, ticker.read()) ? stamp : null;
  }

  /** Whether the key holds a stamp, live or not yet forgotten. */
  boolean holds(String key) {
    return stamps.containsKey(key);
  }

  /** How many keys are remembered, forgotten or not yet. */
  int size() {
    return stamps.size();
  }

  private boolean live(Stamp stamp, long now) {
    return now - stamp.time < horizonNanos;
  }

  private void forgetOld(long now) {
    Queued oldest = oldestFirst.peek();
    if (oldest == null
        || now - oldest.time < horizonNanos
        || !forgetting.compareAndSet(false, true)) {
      return;
    }
    try {
      for (int forgotten = 0;
          forgotten < FORGET_PER_STAMP
              && (oldest = oldestFirst.peek()) != null
              && now - oldest.time >= horizonNanos;
          forgotten++) {
        oldestFirst.poll();
        Stamp stamp = stamps.get(oldest.key);
        while (stamp != null) {
          if (live(stamp, now)) {
            oldestFirst.add(new Queued(oldest.key, stamp.time)); // stamped again since
            break;
          }
          if (stamps.remove(oldest.key, stamp)) {
            break;
          }
          stamp = stamps.get(oldest.key); // stamped again while it was being forgotten
        }
      }
    } finally {
      forgetting.set(false);
    }
  }
}
