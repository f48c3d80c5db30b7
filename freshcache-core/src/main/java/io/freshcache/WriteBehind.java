package io.freshcache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue behind a write-behind cache and the thread that drains it.
 *
 * <p>Pending writes are kept in acknowledgement order, one per key: a second write of a key
 * replaces the first and moves to the back, so the source sees each key's last value, and keys in
 * the order of their last writes. A batch leaves the queue only when the writer took it; a newer
 * write of a key that arrived while its batch was in flight stays pending. A failed batch is
 * retried with doubling backoff, forever while the cache is open; {@link #close} keeps retrying up
 * to its timeout and then fails loudly with the writes it could not flush.
 */
final class WriteBehind<K, V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WriteBehind.class);

  private final String cacheName;
  private final Writes<K, V> config;
  private final StatsCounter stats;
  private final Consumer<Set<K>> onFlushed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ReentrantLock writing = new ReentrantLock();
  private final LinkedHashMap<K, V> pending = new LinkedHashMap<>();
  private final Thread flusher;
  private long oldestSince;
  private boolean closing;
  private int failures;

  WriteBehind(
      String cacheName, Writes<K, V> config, StatsCounter stats, Consumer<Set<K>> onFlushed) {
    this.cacheName = cacheName;
    this.config = config;
    this.stats = stats;
    this.onFlushed = onFlushed;
    this.flusher = new Thread(this::run, "freshcache-write-behind-" + cacheName);
    flusher.setDaemon(true);
    flusher.start();
  }

  /** Queues a write for the source; false, queuing nothing, once the queue is closing. */
  boolean enqueue(K key, V value) {
    lock.lock();
    try {
      if (closing) {
        return false;
      }
      boolean wasEmpty = pending.isEmpty();
      if (wasEmpty) {
        oldestSince = System.nanoTime();
      }
      pending.remove(key);
      pending.put(key, value);
      if (wasEmpty || pending.size() >= config.batchSize) {
        changed.signalAll(); // the flusher sleeps until there is something, or a batch is full
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The value written but not yet flushed for {@code key}, or {@code null}. */
  V pendingValue(K key) {
    lock.lock();
    try {
      return pending.get(key);
    } finally {
      lock.unlock();
    }
  }

  int pendingCount() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    long backoff = 0;
    while (true) {
      lock.lock();
      try {
        while (true) {
          if (pending.isEmpty()) {
            if (closing) {
              return;
            }
            changed.await();
            continue;
          }
          long waited = System.nanoTime() - oldestSince;
          long due = config.flushEvery.toNanos() - waited;
          if (closing || pending.size() >= config.batchSize || due <= 0) {
            break;
          }
          changed.awaitNanos(due);
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      if (flushBatch()) {
        backoff = 0;
      } else {
        backoff =
            backoff == 0
                ? config.minBackoff.toNanos()
                : Math.min(backoff * 2, config.maxBackoff.toNanos());
        pause(backoff);
      }
    }
  }

  private void pause(long nanos) {
    lock.lock();
    try {
      if (nanos > 0) {
        changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Writes the oldest batch; true if the writer took it (or there was nothing to write). */
  boolean flushBatch() {
    writing.lock();
    try {
      Map<K, V> batch = new LinkedHashMap<>();
      lock.lock();
      try {
        for (Map.Entry<K, V> e : pending.entrySet()) {
          if (batch.size() == config.batchSize) {
            break;
          }
          batch.put(e.getKey(), e.getValue());
        }
      } finally {
        lock.unlock();
      }
      if (batch.isEmpty()) {
        return true;
      }
      try {
        config.writer.writeAll(batch);
      } catch (Throwable t) {
        int attempt = ++failures;
        stats.writeFailures.increment();
        if (attempt == 1) {
          // One line per outage, not one per retry: the retries are counted (writeFailures).
          log.warn(
              "cache '{}': write-behind batch of {} failed, will retry with backoff until the"
                  + " source takes it (further failures are logged at debug): {}",
              cacheName,
              batch.size(),
              t.toString());
        } else {
          log.debug(
              "cache '{}': write-behind batch of {} failed (attempt {}): {}",
              cacheName,
              batch.size(),
              attempt,
              t.toString());
        }
        tell(() -> config.listener.failed(Set.copyOf(batch.keySet()), attempt, t));
        return false;
      }
      if (failures > 0) {
        log.info(
            "cache '{}': the source takes write-behind batches again (after {} failed attempts)",
            cacheName,
            failures);
      }
      failures = 0;
      lock.lock();
      try {
        // Only what was written leaves: a key rewritten meanwhile keeps its newer value pending.
        batch.forEach(pending::remove);
        if (!pending.isEmpty()) {
          oldestSince = System.nanoTime();
        }
      } finally {
        lock.unlock();
      }
      stats.writesFlushed.add(batch.size());
      Set<K> keys = Set.copyOf(batch.keySet());
      tell(() -> config.listener.flushed(keys));
      onFlushed.accept(keys);
      return true;
    } finally {
      writing.unlock();
    }
  }

  private void tell(Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (RuntimeException e) {
      log.warn("cache '{}': a write-behind listener failed", cacheName, e);
    }
  }

  /** Flushes everything pending, retrying up to the close timeout; fails with what is left. */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      flusher.join(Math.max(1, config.closeTimeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      if (!pending.isEmpty()) {
        flusher.interrupt();
        List<K> keys = new ArrayList<>(pending.keySet());
        throw new WriteBehindException(cacheName, Map.copyOf(pending), keys);
      }
    } finally {
      lock.unlock();
    }
  }
}
