package io.freshcache.redis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messages delivered lately, so that one arriving twice — on the channel and on the stream — is
 * delivered once. Identical text means the same event: freshcache's events carry their publisher
 * and a microsecond timestamp. Thread-safe.
 */
final class RecentMessages {

  private final int capacity;
  private final LinkedHashMap<String, Boolean> seen;

  RecentMessages(int capacity) {
    this.capacity = capacity;
    this.seen =
        new LinkedHashMap<>(capacity * 2, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RecentMessages.this.capacity;
          }
        };
  }

  /** True the first time {@code message} is offered (within the last {@code capacity}). */
  synchronized boolean firstTime(String message) {
    return seen.put(message, Boolean.TRUE) == null;
  }
}
