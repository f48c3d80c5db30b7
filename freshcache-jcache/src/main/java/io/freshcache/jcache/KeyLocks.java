package io.freshcache.jcache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One re-entrant lock per key, held only while some thread holds or waits for it: every JCache
 * operation on a key runs under its lock, so that check-then-act operations ({@code putIfAbsent},
 * {@code replace}, {@code invoke}) are atomic and a key's events are delivered in the order of its
 * changes.
 */
final class KeyLocks {

  private static final class Held {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  private final ConcurrentHashMap<Object, Held> held = new ConcurrentHashMap<>();

  /** Locks {@code key}; the caller must {@link #unlock} it in a finally block. */
  void lock(Object key) {
    Held h =
        held.compute(
            key,
            (k, current) -> {
              Held use = current == null ? new Held() : current;
              use.users++;
              return use;
            });
    h.lock.lock();
  }

  void unlock(Object key) {
    held.computeIfPresent(
        key,
        (k, current) -> {
          current.lock.unlock();
          return --current.users == 0 ? null : current;
        });
  }
}
