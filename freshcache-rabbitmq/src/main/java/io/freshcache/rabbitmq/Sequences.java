package io.freshcache.rabbitmq;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last sequence number heard from each publisher, to find messages that never reached this
 * instance's queue. A publisher numbers everything it sends on one channel from 1 (its id names the
 * channel's lifetime, so a reconnected publisher starts a new series); within a channel RabbitMQ
 * delivers to a queue in order and drops nothing but what the queue itself drops, so a number
 * skipped is a message lost. Remembers the last {@code capacity} publishers heard (a publisher
 * forgotten and heard again counts as new). Thread-safe.
 */
final class Sequences {

  private final Map<String, Long> last;

  Sequences(int capacity) {
    this.last =
        new LinkedHashMap<>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * Notes message {@code seq} of {@code publisher}; returns how many of its messages were skipped
   * just before it (0 if none, or if the publisher was not heard before).
   */
  synchronized long missed(String publisher, long seq) {
    Long previous = last.put(publisher, seq);
    if (previous == null || seq <= previous + 1) {
      return 0;
    }
    return seq - previous - 1;
  }

  /** Forgets every publisher: a new queue hears each series from wherever it is now. */
  synchronized void reset() {
    last.clear();
  }
}
