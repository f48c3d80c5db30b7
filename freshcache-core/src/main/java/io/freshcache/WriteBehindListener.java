package io.freshcache;

import java.util.Set;

/**
 * Hears what write-behind does with the writes it holds. Called on the flushing thread; must be
 * fast and must not throw (what it throws is logged and ignored).
 *
 * @param <K> the key type
 */
public interface WriteBehindListener<K> {

  /** A batch reached the source. */
  default void flushed(Set<K> keys) {}

  /** A batch failed; it stays pending and is retried after {@code attempt}'s backoff. */
  default void failed(Set<K> keys, int attempt, Throwable cause) {}

  /** A listener that ignores everything. */
  static <K> WriteBehindListener<K> none() {
    return new WriteBehindListener<>() {};
  }
}
