package io.freshcache.jcache;

import io.freshcache.FreshCache;
import io.freshcache.FreshCacheBuilder;
import io.freshcache.RemovalCause;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entries of one JCache cache on this instance, over a freshcache cache of the group.
 *
 * <p>This instance's records (value and expiry) live here; the freshcache cache maps each key's
 * name to the token of its current record. A put or a removal goes through the freshcache cache, so
 * the group's bus tells every other instance to drop its copy. An invalidation that arrives from
 * another instance, one of the group's own (a key name, a tag, a pattern, everything), or a loss
 * the bus reports removes the token, and the freshcache cache's removal listener drops its record
 * at once; a record is also checked against its token whenever it is read. Callers hold the key's
 * lock; the listener needs none (it removes a record only if it still holds the removed token).
 */
final class EntryStore {

  private final ConcurrentHashMap<Object, Record> records = new ConcurrentHashMap<>();

  /** The stored key of each live record's token (tokens compare by identity). */
  private final ConcurrentHashMap<Object, Object> keyOfToken = new ConcurrentHashMap<>();

  private final FreshCache<String, Object> tokens;
  private final KeyNames names;

  EntryStore(FreshCacheBuilder<String, Object> tokens, KeyNames names) {
    this.names = names;
    this.tokens = tokens.removalListener(this::tokenRemoved).build();
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
    drop(key, r); // invalidated, and the listener has not got to it yet
    return null;
  }

  /** Stores a record and tells the group's other instances to drop their copy of the key. */
  void put(Object key, Record r) {
    Record previous = records.put(key, r);
    if (previous != null) {
      keyOfToken.remove(previous.token);
    }
    keyOfToken.put(r.token, key);
    tokens.put(r.name, r.token);
  }

  /** Removes the key here and on every other instance of the group. */
  void remove(Object key, String name) {
    Record previous = records.remove(key);
    if (previous != null) {
      keyOfToken.remove(previous.token);
    }
    tokens.invalidate(name);
  }

  /** Forgets an expired record here only: other instances keep their own copies and clocks. */
  void expire(Object key, Record r) {
    drop(key, r);
  }

  /** The keys held here, a snapshot in no particular order. */
  List<Object> keys() {
    return new ArrayList<>(records.keySet());
  }

  /** Removes every entry, here and on every other instance of the group. */
  void clear() {
    forget();
    tokens.invalidateAll();
  }

  /** Forgets every entry here only (closing). */
  void forget() {
    records.clear();
    keyOfToken.clear();
  }

  /** The number of records held, expired or not: for tests. */
  int size() {
    return records.size();
  }

  FreshCache<String, Object> tokens() {
    return tokens;
  }

  private void drop(Object key, Record r) {
    if (records.remove(key, r)) {
      keyOfToken.remove(r.token);
    }
  }

  /** A token left the freshcache cache: if its record is still here, the record goes too. */
  private void tokenRemoved(String name, Object token, RemovalCause cause) {
    if (cause == RemovalCause.REPLACED) {
      return; // this instance's own put, which already replaced the record
    }
    Object key = keyOfToken.remove(token);
    if (key != null) {
      records.computeIfPresent(key, (k, r) -> r.token == token ? null : r);
    }
  }
}
