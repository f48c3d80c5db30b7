package io.freshcache.jcache;

/**
 * The steps every operation of one cache is made of: find a key's live record, create, update,
 * discard and touch one, each applying the expiry policy and gathering its event. The caller holds
 * the key's lock and delivers the events.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class Entries<K, V> {

  private final EntryStore store;
  private final Copier copier;
  private final ExpiryRules expiry;
  private final Statistics statistics;

  Entries(EntryStore store, Copier copier, ExpiryRules expiry, Statistics statistics) {
    this.store = store;
    this.copier = copier;
    this.expiry = expiry;
    this.statistics = statistics;
  }

  /** The key's record if it is alive at {@code now}; an expired one is dropped, with its event. */
  Record live(K key, long now, Events<K, V> events) {
    Record r = store.get(key);
    if (r != null && r.expiredAt(now)) {
      store.expire(key, r);
      events.expired(key, value(r));
      return null;
    }
    return r;
  }

  /** True if the key has a record that is alive at {@code now}; no event, no statistics. */
  boolean contains(K key, long now) {
    Record r = store.get(key);
    return r != null && !r.expiredAt(now);
  }

  /** Stores a new entry unless the policy says it expires at once; true if stored. */
  boolean create(K key, V value, long now, Events<K, V> events) {
    long expiresAt = expiry.onCreation(now);
    if (expiresAt == Record.EXPIRED) {
      return false;
    }
    store.put(copier.key(key), new Record(store.name(key), copier.store(value), expiresAt));
    events.created(key, value);
    return true;
  }

  /** Stores a new entry, or replaces the value of {@code old} if there is one; true if stored. */
  boolean set(K key, Record old, V value, long now, Events<K, V> events) {
    return old == null ? create(key, value, now, events) : update(key, old, value, now, events);
  }

  /** Replaces an entry's value; its expiry time as the policy says for an update. */
  boolean update(K key, Record old, V value, long now, Events<K, V> events) {
    long asked = expiry.onUpdate(now);
    long expiresAt = asked == ExpiryRules.UNCHANGED ? old.expiresAt() : asked;
    V oldValue = value(old);
    store.put(copier.key(key), new Record(old.name, copier.store(value), expiresAt));
    events.updated(key, value, oldValue);
    return true;
  }

  /**
   * Removes a key here and on the group's other instances (even if this instance held no copy);
   * true if it had a live entry here.
   */
  boolean discard(K key, Record r, Events<K, V> events) {
    store.remove(key, r == null ? store.name(key) : r.name);
    if (r == null) {
      return false;
    }
    statistics.removal(1);
    events.removed(key, value(r));
    return true;
  }

  /** Applies the policy's expiry for an access. */
  void touch(Record r, long now) {
    long asked = expiry.onAccess(now);
    if (asked != ExpiryRules.UNCHANGED) {
      r.expiresAt(asked);
    }
  }

  /** The value a record holds, as handed to a caller (a fresh copy in a by-value cache). */
  @SuppressWarnings("unchecked")
  V value(Record r) {
    return (V) copier.load(r.stored);
  }

  /** The key of a stored key, as handed to a caller. */
  @SuppressWarnings("unchecked")
  K key(Object storedKey) {
    return (K) copier.key(storedKey);
  }
}
