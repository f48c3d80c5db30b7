package io.freshcache;

import io.freshcache.event.Invalidation;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How a put reaches the source, the cache, the shared tier and the other instances, by the cache's
 * {@link Writes} policy (or none). The order matters: everything that can refuse the put is checked
 * before anything changes (so a write-through never writes the source for a put the cache then
 * refuses), the source before the cache for write-through (so the cache never holds what the source
 * refused), this instance before the tier and the tier before the bus (so an instance reacting to
 * the event reads the new value, not the old one back). Every refusal says what the put stored.
 */
final class WritePath<K, V> {

  private final LocalCache<K, V> cache;
  private final GroupContext group;
  private final String name;
  private final Writes<K, V> writes;
  private final SharedValues<V> shared;
  private final Object[] locks;
  private final WriteBehind<K, V> behind;

  /** What a put refused before it changed anything has stored, for the refusal's message. */
  private final String nothing;

  WritePath(
      LocalCache<K, V> cache,
      GroupContext group,
      String name,
      Writes<K, V> writes,
      SharedValues<V> shared,
      StatsCounter stats) {
    this.cache = cache;
    this.group = group;
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
    this.nothing =
        writes == null
            ? "nothing was stored"
            : switch (writes.mode) {
              case THROUGH -> "nothing was stored, in the cache or in the source";
              case AROUND -> "nothing was stored in the source, and the cache is unchanged";
              case BEHIND -> "nothing was stored in the cache or queued for the source";
            };
  }

  /** A put. {@code freshFor < 0}: the expiry policy decides. */
  void write(K key, V value, long freshFor, PutOption[] options) {
    // Strict mode refuses before the source is written while Redis is known to be out of reach.
    group.requireReachable(() -> "cache '" + name + "': " + key + " was not written");
    if (writes != null && writes.mode == Writes.Mode.AROUND) {
      writeToSource(key, value);
      cache.invalidate(
          key,
          () -> "cache '" + name + "': " + key + " is written to the source and invalidated here");
      return;
    }
    // Worked out before anything changes: a value the tier cannot take, an option given twice, a
    // function that throws fail the put here, having stored nothing anywhere.
    byte[] bytes = shared == null ? null : shared.encodeForPut(key, value, nothing);
    Entry.Meta meta = cache.putMeta(key, value, options);
    long lifetime = freshFor >= 0 ? freshFor : cache.freshFor(key, value);
    if (writes == null) {
      Entry<V> entry = writeLocal(key, value, lifetime, meta);
      boolean shared = share(key, bytes, entry);
      published(
          key,
          entry.meta.version(),
          shared,
          () -> "cache '" + name + "': " + key + " is stored here");
      return;
    }
    switch (writes.mode) {
      case THROUGH -> {
        Entry<V> entry;
        boolean shared;
        synchronized (locks[(key.hashCode() & 0x7fffffff) % locks.length]) {
          PutRefusal refused = cache.refusal(key, meta);
          if (refused != null) {
            throw refused.toException(name, key, nothing, false);
          }
          LocalCache.WriteMark mark = cache.markWrite(key);
          try {
            writeToSource(key, value);
            entry = writeThroughLocal(key, value, lifetime, meta, mark);
          } finally {
            cache.unmarkWrite(key, mark);
          }
          if (entry == null) {
            // Invalidated while the source took the write: someone wrote the source after it (a
            // write behind the cache, then its invalidation). The cache must not hide that
            // write behind this value, here or in the tier: the key is invalidated everywhere and
            // the next read loads whichever write the source kept.
            cache.invalidate(
                key,
                () ->
                    "cache '"
                        + name
                        + "': "
                        + key
                        + " is written to the source; invalidated while it was, so it is not"
                        + " stored here");
            return;
          }
          shared = share(key, bytes, entry); // under the lock: this instance's writers in order
        }
        published(
            key,
            entry.meta.version(),
            shared,
            () -> "cache '" + name + "': " + key + " is written to the source and stored here");
      }
      case BEHIND -> {
        Entry<V> entry = writeLocal(key, value, lifetime, meta);
        if (!behind.enqueue(key, value)) {
          // Closed meanwhile: the cache must not keep a value the source will never get.
          cache.invalidateLocal(key, RemovalCause.INVALIDATED);
          throw new IllegalStateException(
              "cache '"
                  + name
                  + "' is closed: its write-behind queue takes no more writes; "
                  + key
                  + " was not queued for the source, and this cache no longer holds it");
        }
        boolean shared = share(key, bytes, entry);
        published(
            key,
            entry.meta.version(),
            shared,
            () ->
                "cache '"
                    + name
                    + "': "
                    + key
                    + " is stored here and queued for the source (write-behind)");
      }
      case AROUND -> throw new AssertionError("write-around returned above");
    }
  }

  private Entry<V> writeLocal(K key, V value, long lifetime, Entry.Meta meta) {
    try {
      return cache.writeLocal(key, value, lifetime, meta);
    } catch (PutRefusal refused) {
      throw refused.toException(name, key, nothing, false);
    }
  }

  /**
   * The cache's half of a write-through, after the source took the value. The refusals that could
   * be known were checked before the source was written; what arrived while the writer ran (a
   * versioned invalidation from the bus, a newer entry, a new dependency) can still refuse it. The
   * source then holds a value the cache does not: the key is invalidated everywhere rather than
   * left holding what the source held before.
   */
  private Entry<V> writeThroughLocal(
      K key, V value, long lifetime, Entry.Meta meta, LocalCache.WriteMark mark) {
    try {
      return cache.writeLocal(key, value, lifetime, meta, mark);
    } catch (PutRefusal refused) {
      cache.invalidate(key);
      throw refused.toException(
          name,
          key,
          "the source took the write, but the cache does not hold it: "
              + key
              + " was invalidated, so the next read loads it from the source",
          true);
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
              + " (its writer threw); "
              + nothing,
          e);
    }
  }

  /** Write-behind reached the source: other instances may have loaded the old value meanwhile. */
  private void flushed(Set<K> keys) {
    List<String> names = keys.stream().map(cache::keyName).toList();
    published(names);
  }

  /**
   * Tells the group's other instances (and the shared tier's readers) that a key was written.
   *
   * @param tierTookIt whether the shared tier confirmed the put (else it owes an invalidation)
   * @param done what the write did, for strict mode's exception
   */
  private void published(K key, long version, boolean tierTookIt, Supplier<String> done) {
    String keyName = cache.keyName(key);
    Invalidation written = new Invalidation.Keys(name, List.of(keyName), false, versionOf(version));
    Invalidation owed =
        tierTookIt
            ? null
            : new Invalidation.Keys(name, List.of(keyName), false, OptionalLong.empty());
    group.send(written, owed, done);
  }

  /** Tells the group's other instances that these keys changed in the source. */
  private void published(List<String> keyNames) {
    group.send(
        new Invalidation.Keys(name, keyNames, false, OptionalLong.empty()),
        null,
        () ->
            "cache '"
                + name
                + "': write-behind flushed "
                + keyNames.size()
                + " keys to the source");
  }

  private static OptionalLong versionOf(long version) {
    return version == InvalidationHistory.NO_VERSION
        ? OptionalLong.empty()
        : OptionalLong.of(version);
  }
}
