package io.freshcache.cli.simulate;

import java.util.Map;

/**
 * A value of the domain workload, as every cache holds it: its key's whole name, the version of its
 * row, a body of the entity's size, and, for a value computed from others (a feed, a dashboard, a
 * category list), the version of each row it was computed from. Immutable; a record so that the
 * shared tier's JSON carries it.
 *
 * @param key the key's name, e.g. {@code user:profile:7}
 * @param version the row's version; 0 for a computed value; {@link #GONE} for a row that was
 *     deleted
 * @param body the payload, as long as the entity's values are
 * @param inputs the rows a computed value was made from, by key name, with the version it saw;
 *     empty for a row
 */
record DomainValue(String key, long version, String body, Map<String, Long> inputs) {

  /**
   * The version of what a read of a deleted row gets: newer than any, since nothing replaces a
   * deletion, so it is never stale.
   */
  static final long GONE = Long.MAX_VALUE;

  DomainValue {
    inputs = Map.copyOf(inputs);
  }

  /** What the source answers for {@code key} once its row is deleted. */
  static DomainValue gone(String key) {
    return new DomainValue(key, GONE, "{" + key + " deleted}", Map.of());
  }

  /** A body of {@code bytes} characters that names its key and version. */
  static String body(String key, long version, int bytes) {
    StringBuilder s = new StringBuilder(bytes);
    s.append('{').append(key).append(" v").append(version).append('}');
    while (s.length() < bytes) {
      s.append('.');
    }
    s.setLength(bytes);
    return s.toString();
  }
}
