package io.freshcache;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The keys an entry was derived from, in any cache of its group, by their string form (after the
 * cache's key prefix). A cascade from any of them ({@link CacheGroup#invalidateCascade})
 * invalidates the entry, and everything derived from it in turn.
 *
 * @param keys the source keys
 */
public record DependsOn(Set<String> keys) implements PutOption {

  public DependsOn {
    Objects.requireNonNull(keys, "dependency keys must not be null");
    for (String key : keys) {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("a dependency key must not be null or empty");
      }
    }
    keys = Set.copyOf(keys);
  }

  /** Depends on these keys. */
  public static DependsOn keys(String... keys) {
    Objects.requireNonNull(keys, "dependency keys must not be null");
    return new DependsOn(new LinkedHashSet<>(Arrays.asList(keys)));
  }
}
