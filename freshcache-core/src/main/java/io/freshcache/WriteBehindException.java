package io.freshcache;

import java.util.List;
import java.util.Map;

/**
 * Thrown by {@link FreshCache#close()} when write-behind could not flush every acknowledged write
 * to the source before its timeout. The writes are not lost: {@link #unflushed()} holds them, for
 * the application to save elsewhere or retry.
 */
public class WriteBehindException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Map<?, ?> unflushed;

  WriteBehindException(String cache, Map<?, ?> unflushed, List<?> keys) {
    super(
        "cache '"
            + cache
            + "': "
            + unflushed.size()
            + " acknowledged writes could not be flushed to"
            + " the source before closing: "
            + (keys.size() > 20 ? keys.subList(0, 20) + " ..." : keys));
    this.unflushed = unflushed;
  }

  /** The writes that did not reach the source, key to value. */
  public Map<?, ?> unflushed() {
    return unflushed;
  }
}
