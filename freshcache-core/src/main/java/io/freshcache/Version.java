package io.freshcache;

/**
 * The version of an entry's value, e.g. the row version it was read at. A put or fill with a
 * version older than the cached entry's, or than the last versioned invalidation of the key, is
 * refused.
 *
 * @param value the version; larger is newer
 */
public record Version(long value) implements PutOption {

  /** A version. */
  public static Version of(long value) {
    return new Version(value);
  }
}
