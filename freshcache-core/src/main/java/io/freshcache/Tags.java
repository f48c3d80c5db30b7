package io.freshcache;

import io.freshcache.event.Names;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The tags an entry carries. Invalidating a tag ({@link CacheGroup#invalidateTag}) invalidates
 * every entry carrying it, in every cache of the group, at a cost independent of how many entries
 * carry it.
 *
 * @param names the tags, each non-blank
 */
public record Tags(Set<String> names) implements PutOption {

  static final int MAX_LENGTH = 1024;

  public Tags {
    Objects.requireNonNull(names, "tags must not be null");
    for (String name : names) {
      requireValid(name);
    }
    names = Set.copyOf(names);
  }

  /** Tags from names; duplicates collapse. */
  public static Tags of(String... names) {
    Objects.requireNonNull(names, "tags must not be null");
    return new Tags(new LinkedHashSet<>(Arrays.asList(names)));
  }

  /** Tags from a collection of names. */
  public static Tags of(List<String> names) {
    return new Tags(new LinkedHashSet<>(names));
  }

  static String requireValid(String tag) {
    return Names.requireTag(tag);
  }
}
