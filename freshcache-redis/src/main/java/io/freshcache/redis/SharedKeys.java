package io.freshcache.redis;

import io.freshcache.event.Names;

/**
 * Where the shared tier keeps things in Redis. Every key of a namespace carries the hash tag {@code
 * {<namespace>}}, so all of them live in one Cluster slot and a script may touch any of them:
 *
 * <ul>
 *   <li>{@code <prefix>:{<ns>}:e:<cache>/<key>}: an entry, a hash (see {@link EntryFields});
 *   <li>{@code <prefix>:{<ns>}:l:<cache>/<key>}: the key's lease, a token with the hold time as
 *       TTL;
 *   <li>{@code <prefix>:{<ns>}:t:<tag>}: when the tag was last invalidated (a generation);
 *   <li>{@code <prefix>:{<ns>}:g}: the namespace's tag generation counter;
 *   <li>{@code <prefix>:{<ns>}:caches}: a set of the caches the namespace's instances use, for
 *       invalidations that name no cache.
 * </ul>
 *
 * <p>The cache name ends at the first {@code /}, which cache names cannot contain, so cache {@code
 * a} with key {@code b:c} and cache {@code a:b} with key {@code c} stay apart.
 */
final class SharedKeys {

  static final int MAX_KEY_LENGTH = Names.MAX_LENGTH;

  private final String base;

  SharedKeys(String prefix, String namespace) {
    this.base = prefix + ":{" + namespace + "}:";
  }

  String entry(String cache, String key) {
    return base + "e:" + cache + "/" + key;
  }

  String lease(String cache, String key) {
    return base + "l:" + cache + "/" + key;
  }

  /** The prefix of every tag's key; the scripts append the tag. */
  String tagPrefix() {
    return base + "t:";
  }

  String tag(String tag) {
    return base + "t:" + tag;
  }

  String generation() {
    return base + "g";
  }

  String caches() {
    return base + "caches";
  }

  /** What every key of the namespace starts with; the scripts append the rest. */
  String base() {
    return base;
  }

  /** A SCAN MATCH pattern for the cache's entries whose keys match {@code glob}. */
  String entryMatch(String cache, String glob) {
    return base + "e:" + cache + "/" + toRedisGlob(glob);
  }

  /** A SCAN MATCH pattern for the cache's leases whose keys match {@code glob}. */
  String leaseMatch(String cache, String glob) {
    return base + "l:" + cache + "/" + toRedisGlob(glob);
  }

  /** A SCAN MATCH pattern for all of the cache's entries. */
  String allEntries(String cache) {
    return base + "e:" + cache + "/*";
  }

  /** A SCAN MATCH pattern for all of the cache's leases. */
  String allLeases(String cache) {
    return base + "l:" + cache + "/*";
  }

  /** A SCAN MATCH pattern for the entries of every cache of the namespace. */
  String everyEntry() {
    return base + "e:*";
  }

  /** A SCAN MATCH pattern for the leases of every cache of the namespace. */
  String everyLease() {
    return base + "l:*";
  }

  /** A cache name as every module allows it (no {@code /}, nothing a glob reads specially). */
  static String requireCache(String cache) {
    return Names.requireName(cache, "cache");
  }

  static String requireKey(String key) {
    return Names.requireKey(key, "key");
  }

  /** A glob with a literal character: one without would match every key. */
  static String requireGlob(String glob) {
    Names.requireKey(glob, "pattern");
    if (Names.matchesEverything(glob)) {
      throw new IllegalArgumentException(
          "the pattern \""
              + glob
              + "\" matches every key; use invalidateAll to clear a cache on purpose");
    }
    return glob;
  }

  /**
   * Core's glob ({@code *}, {@code ?}, {@code \} escapes, everything else literal) as Redis's MATCH
   * reads it: Redis also gives {@code [} and {@code ]} a meaning, so those are escaped; a trailing
   * lone {@code \} is a literal backslash in both, and is written escaped to make that plain.
   */
  static String toRedisGlob(String glob) {
    StringBuilder out = new StringBuilder(glob.length() + 8);
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\') {
        out.append('\\');
        out.append(i + 1 < glob.length() ? glob.charAt(++i) : '\\');
      } else if (c == '[' || c == ']') {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
