package io.freshcache;

import io.freshcache.spi.SharedEntry;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Works out what an entry is written with — tags, source keys, version — from the put's options or
 * the cache's functions, and checks it.
 */
final class EntryMetadata<K, V> {

  private final String cache;
  private final GroupMember member;
  private final Function<K, String> keyName;
  private final BiFunction<? super K, ? super V, Tags> tagsOf;
  private final BiFunction<? super K, ? super V, DependsOn> dependsOnOf;
  private final ToLongFunction<? super V> versionOf;

  /**
   * @param cache the cache's name, for messages
   * @param member the cache as its dependency-graph nodes name it
   * @param keyName a key's string form
   */
  EntryMetadata(
      String cache,
      GroupMember member,
      Function<K, String> keyName,
      BiFunction<? super K, ? super V, Tags> tagsOf,
      BiFunction<? super K, ? super V, DependsOn> dependsOnOf,
      ToLongFunction<? super V> versionOf) {
    this.cache = cache;
    this.member = member;
    this.keyName = keyName;
    this.tagsOf = tagsOf;
    this.dependsOnOf = dependsOnOf;
    this.versionOf = versionOf;
  }

  /** For a loaded value: the cache's functions decide. */
  Entry.Meta forLoad(K key, V value, long since) {
    Tags tags = tagsOf == null ? null : tagsOf.apply(key, value);
    DependsOn dependsOn = dependsOnOf == null ? null : dependsOnOf.apply(key, value);
    long version =
        versionOf == null ? InvalidationHistory.NO_VERSION : versionOf.applyAsLong(value);
    return meta(key, since, version, tags, dependsOn);
  }

  /** For a put: its options decide, the cache's functions fill in what they leave out. */
  Entry.Meta forPut(K key, V value, long since, PutOption[] options) {
    Tags tags = null;
    DependsOn dependsOn = null;
    Version version = null;
    for (PutOption option : options) {
      if (option == null) {
        throw new NullPointerException("cache '" + cache + "': a put option must not be null");
      }
      if (option instanceof Tags t) {
        tags = once(tags, t, "Tags");
      } else if (option instanceof DependsOn d) {
        dependsOn = once(dependsOn, d, "DependsOn");
      } else if (option instanceof Version v) {
        version = once(version, v, "Version");
      }
    }
    if (tags == null && tagsOf != null) {
      tags = tagsOf.apply(key, value);
    }
    if (dependsOn == null && dependsOnOf != null) {
      dependsOn = dependsOnOf.apply(key, value);
    }
    long v =
        version != null
            ? version.value()
            : versionOf == null ? InvalidationHistory.NO_VERSION : versionOf.applyAsLong(value);
    return meta(key, since, v, tags, dependsOn);
  }

  /** A shared hit's version and tags, where it has them, over what the cache's functions say. */
  static Entry.Meta withShared(Entry.Meta meta, SharedEntry hit) {
    if (hit.version() == InvalidationHistory.NO_VERSION && hit.tags().isEmpty()) {
      return meta; // nothing to add: no copy on every plain hit
    }
    long version = hit.version() == InvalidationHistory.NO_VERSION ? meta.version() : hit.version();
    String[] tags = hit.tags().isEmpty() ? meta.tags() : hit.tags().toArray(String[]::new);
    return new Entry.Meta(meta.since(), version, tags, meta.node(), meta.sources());
  }

  private <T> T once(T current, T given, String what) {
    if (current != null) {
      throw new IllegalArgumentException(
          "cache '" + cache + "': " + what + " was given twice to one put");
    }
    return given;
  }

  private Entry.Meta meta(K key, long since, long version, Tags tags, DependsOn dependsOn) {
    String[] tagArray =
        tags == null || tags.names().isEmpty() ? Entry.NONE : tags.names().toArray(String[]::new);
    if (dependsOn == null || dependsOn.keys().isEmpty()) {
      return new Entry.Meta(since, version, tagArray, null, Entry.NONE);
    }
    Set<String> sources = dependsOn.keys();
    DependencyGraph.Node node = new DependencyGraph.Node(member, key, keyName.apply(key));
    return new Entry.Meta(since, version, tagArray, node, sources.toArray(String[]::new));
  }
}
