package io.freshcache.jcache;

import io.freshcache.FreshCache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entries of one JCache cache on this instance, over a freshcache cache of the group.
 *
 * <p>This instance's records (value and expiry) live here; the freshcache cache maps each key's
 * name to the token of its current record. A put or a removal goes through the freshcache cache, so
 * the group's bus tells every other instance to drop its copy; an invalidation that arrives from
 * another instance (or a loss the bus reports) removes the token there, and a record whose token is
 * gone is dropped the next time it is looked at. Callers hold the key's lock.
 */
final class EntryStore {

  private final ConcurrentHashMap<Object, Record> records = new ConcurrentHashMap<>();
  private final FreshCache<String, Object> tokens;
  private final KeyNames names;

  EntryStore(FreshCache<String, Object> tokens, KeyNames names) {
    this.tokens = tokens;
    this.names = names;
  }

  String name(Object key) {
    return names.name(key);
  }

  /** The key's record if it is still the group's current one, expired or not; else null. */
  Record get(Object key) {
    Record r = records.get(key);
    if (r == null) {
      return null;
    }
    Object token = tokens.getIfPresent(r.name);
    if (token == r.token) {
      return r;
    }
    if (token == null && tokens.analytics().key(r.name).isPresent()) {
      // Held, but not to be served now: the group's bus cannot prove this instance is current.
      // A miss for now; the entry serves again once the bus catches up.
      return null;
    }
    records.remove(key, r); // invalidated by another instance, or cleared after a loss
    return null;
  }

  /** Stores a record and tells the group's other instances to drop their copy of the key. */
  void put(Object key, Record r) {
    records.put(key, r);
    tokens.put(r.name, r.token);
  }

  /** Removes the key here and on every other instance of the group. */
  void remove(Object key, String name) {
    records.remove(key);
    tokens.invalidate(name);
  }

  /** Forgets an expired record here only: other instances keep their own copies and clocks. */
  void expire(Object key, Record r) {
    records.remove(key, r);
  }

  /** The keys held here, a snapshot in no particular order. */
  List<Object> keys() {
    return new ArrayList<>(records.keySet());
  }

  /** Removes every entry, here and on every other instance of the group. */
  void clear() {
    records.clear();
    tokens.invalidateAll();
  }

  /** Forgets every entry here only (closing). */
  void forget() {
    records.clear();
  }

  FreshCache<String, Object> tokens() {
    return tokens;
  }
}
