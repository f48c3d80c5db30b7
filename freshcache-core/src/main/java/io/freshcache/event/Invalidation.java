package io.freshcache.event;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to invalidate: keys (optionally with everything derived from them), tags, a pattern, an
 * update carrying new values, or everything. Built by the factories here, which validate their
 * arguments; handed to {@link io.freshcache.CacheGroup#invalidate}, returned by {@link
 * EventHandler}s, and carried on the bus as an event's {@code payload}.
 *
 * <p>Keys, patterns and dependencies speak of a key's string form (its {@link
 * io.freshcache.KeyCodec} form after the cache's key prefix). An invalidation that names no cache
 * applies to every cache of the group.
 */
public sealed interface Invalidation {

  /** The cache this applies to, or {@code null} for every cache of the group. */
  String cache();

  /**
   * Calls the one method of {@code cases} for this kind of invalidation and returns what it
   * returns. Code that acts on invalidations dispatches through here rather than on {@code
   * instanceof}: a new kind then fails to compile wherever it is not handled, instead of falling
   * into somebody's "anything else" branch.
   */
  <R> R match(Cases<R> cases);

  /**
   * One method per kind of invalidation, for {@link #match}.
   *
   * @param <R> what the dispatch returns ({@link Void} and {@code null} for none)
   */
  interface Cases<R> {
    R keys(Keys keys);

    R tags(Tags tags);

    R pattern(Pattern pattern);

    R update(Update update);

    R all(All all);
  }

  /**
   * Invalidate these keys; with {@code cascade}, also every entry derived from them, transitively.
   * A {@code version}, when present, also refuses any later put or fill of an older version.
   */
  record Keys(String cache, List<String> keys, boolean cascade, OptionalLong version)
      implements Invalidation {
    public Keys {
      keys = checkedKeys(keys, "an invalidation of keys needs at least one key");
      Objects.requireNonNull(version, "version must not be null (use OptionalLong.empty())");
    }

    @Override
    public <R> R match(Cases<R> cases) {
      return cases.keys(this);
    }
  }

  /** Invalidate every entry carrying any of these tags. */
  record Tags(String cache, List<String> tags) implements Invalidation {
    public Tags {
      Objects.requireNonNull(tags, "tags must not be null");
      if (tags.isEmpty()) {
        throw new IllegalArgumentException("an invalidation of tags needs at least one tag");
      }
      tags.forEach(Names::requireTag);
      tags = List.copyOf(tags);
    }

    @Override
    public <R> R match(Cases<R> cases) {
      return cases.tags(this);
    }
  }

  /**
   * Invalidate every key matching a glob ({@code *} any run of characters, {@code ?} one character,
   * {@code \} escapes). A pattern with no literal character would match everything and is refused
   * unless {@code allowMatchAll}: use {@link #all()} to say that on purpose.
   */
  record Pattern(String cache, String glob, boolean allowMatchAll) implements Invalidation {
    public Pattern {
      Names.requireKey(glob, "pattern");
      if (!allowMatchAll && Names.matchesEverything(glob)) {
        throw new IllegalArgumentException(
            "pattern \""
                + glob
                + "\" would invalidate every key: nothing was invalidated. Use"
                + " invalidateAll() to clear everything on purpose, or a pattern with a literal"
                + " part, e.g. \"user:*\"");
      }
    }

    @Override
    public <R> R match(Cases<R> cases) {
      return cases.pattern(this);
    }
  }

  /**
   * New values for keys, at a version: an instance holding an older entry replaces it, any other
   * holder invalidates it. {@code values} maps a key's string form to the value as the wire carries
   * it (a string, number, map, list); a key without a usable value is just invalidated.
   */
  record Update(String cache, List<String> keys, Map<String, Object> values, OptionalLong version)
      implements Invalidation {
    public Update {
      keys = checkedKeys(keys, "an update needs at least one key");
      values = Map.copyOf(Objects.requireNonNull(values, "values must not be null"));
      Objects.requireNonNull(version, "version must not be null (use OptionalLong.empty())");
    }

    @Override
    public <R> R match(Cases<R> cases) {
      return cases.update(this);
    }
  }

  /** Invalidate everything (in one cache, or in the whole group). */
  record All(String cache) implements Invalidation {
    @Override
    public <R> R match(Cases<R> cases) {
      return cases.all(this);
    }
  }

  private static List<String> checkedKeys(List<String> keys, String whenEmpty) {
    Objects.requireNonNull(keys, "keys must not be null");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(whenEmpty);
    }
    keys.forEach(k -> Names.requireKey(k, "key"));
    return List.copyOf(keys);
  }

  /** These keys, in every cache of the group. */
  static Invalidation keys(String... keys) {
    return new Keys(
        null, Arrays.asList(Objects.requireNonNull(keys, "keys")), false, OptionalLong.empty());
  }

  /** These keys and everything derived from them, transitively, in every cache of the group. */
  static Invalidation cascade(String... keys) {
    return new Keys(
        null, Arrays.asList(Objects.requireNonNull(keys, "keys")), true, OptionalLong.empty());
  }

  /** Every entry carrying any of these tags. */
  static Invalidation tags(String... tags) {
    return new Tags(null, Arrays.asList(Objects.requireNonNull(tags, "tags")));
  }

  /** Every key matching this glob; refuses a glob that would match everything. */
  static Invalidation pattern(String glob) {
    return new Pattern(null, glob, false);
  }

  /** Everything in every cache of the group. */
  static Invalidation all() {
    return new All(null);
  }
}
