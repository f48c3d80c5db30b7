package io.freshcache;

import java.util.List;
import java.util.Set;

/**
 * How a put reaches the source, the cache, the shared tier and the other instances, by the cache's
 * {@link Writes} policy (or none). The order matters: the source first for write-through (so the
 * cache never holds what the source refused), this instance before the tier and the tier before the
 * bus (so an instance reacting to the event reads the new value, not the old one back).
 */
final class WritePath<K, V> {

  private final LocalCache<K, V> cache;
  private final String name;
  private final Writes<K, V> writes;
  private final SharedValues<V> shared;
  private final Object[] locks;
  private final WriteBehind<K, V> behind;

  WritePath(
      LocalCache<K, V> cache,
      String name,
      Writes<K, V> writes,
      SharedValues<V> shared,
      StatsCounter stats) {
    this.cache = cache;
    this.name = name;
    this.writes = writes;
    this.shared = shared;
    this.locks = new Object[writes != null && writes.mode == Writes.Mode.THROUGH ? 64 : 0];
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
    this.behind =
        writes != null && writes.mode == Writes.Mode.BEHIND
            ? new WriteBehind<>(name, writes, stats, this::flushed)
            : null;
  }

  /** A put. {@code freshFor < 0}: the expiry policy decides. */
  void write(K key, V value, long freshFor, PutOption[] options) {
    boolean around = writes != null && writes.mode == Writes.Mode.AROUND;
    // Encoded before anything changes: a value the tier cannot take fails the put, changing
    // nothing.
    byte[] bytes = shared == null || around ? null : shared.encodeForPut(key, value);
    // Strict mode refuses before the source is written while Redis is known to be out of reach.
    cache.requireReachable(() -> "cache '" + name + "': " + key + " was not written");
    if (writes == null) {
      Entry<V> entry = cache.writeLocal(key, value, freshFor, options);
      boolean shared = share(key, bytes, entry);
      cache.published(
          key, entry.version, shared, () -> "cache '" + name + "': " + key + " is stored here");
      return;
    }
    switch (writes.mode) {
      case THROUGH -> {
        Entry<V> entry;
        boolean shared;
        synchronized (locks[(key.hashCode() & 0x7fffffff) % locks.length]) {
          writeToSource(key, value);
          entry = cache.writeLocal(key, value, freshFor, options);
          shared = share(key, bytes, entry); // under the lock: this instance's writers in order
        }
        cache.published(
            key,
            entry.version,
            shared,
            () -> "cache '" + name + "': " + key + " is written to the source and stored here");
      }
      case AROUND -> {
        writeToSource(key, value);
        cache.invalidate(
            key,
            () ->
                "cache '" + name + "': " + key + " is written to the source and invalidated here");
      }
      case BEHIND -> {
        Entry<V> entry = cache.writeLocal(key, value, freshFor, options);
        behind.enqueue(key, value);
        boolean shared = share(key, bytes, entry);
        cache.published(
            key,
            entry.version,
            shared,
            () ->
                "cache '"
                    + name
                    + "': "
                    + key
                    + " is stored here and queued for the source (write-behind)");
      }
    }
  }

  /** Whether puts are written behind (so a miss must look at what is not flushed yet). */
  boolean behind() {
    return behind != null;
  }

  /** The value written but not yet flushed for {@code key}, or {@code null}. */
  V pendingValue(K key) {
    return behind.pendingValue(key);
  }

  /** Flushes write-behind (see {@link WriteBehind#close}). */
  void close() {
    if (behind != null) {
      behind.close();
    }
  }

  /**
   * A put reaches the tier after this instance and before the bus. A failing tier is logged and
   * counted; the local write stands, and the key's invalidation in the tier waits in the group's
   * outbox, ahead of the put's event (docs/design-decisions.md). False if the tier did not take it.
   */
  private boolean share(K key, byte[] bytes, Entry<V> entry) {
    return bytes == null || shared.put(cache.keyName(key), bytes, entry);
  }

  private void writeToSource(K key, V value) {
    try {
      writes.writer.write(key, value);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheWriteException(
          "cache '"
              + name
              + "': the source refused the write of "
              + key
              + "; the cache is unchanged",
          e);
    }
  }

  /** Write-behind reached the source: other instances may have loaded the old value meanwhile. */
  private void flushed(Set<K> keys) {
    List<String> names = keys.stream().map(cache::keyName).toList();
    cache.published(names);
  }
}
