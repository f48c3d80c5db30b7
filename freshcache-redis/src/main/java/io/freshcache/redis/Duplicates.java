package io.freshcache.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drops the second copy of an event that arrives both on the channel and on the stream, and only
 * that: a copy is dropped only if the <em>other</em> path already delivered the same text, and the
 * match is used up. So a publisher that sends identical text twice on the channel (the plain format
 * carries no id) is heard twice. Each path remembers its last {@code capacity} unmatched messages.
 *
 * <p>The decision and the hand-over are one step ({@link #offer}): each path delivers in its own
 * order, and a first copy handed over after the lock was let go could be overtaken by a later event
 * that the other path decided and delivered meanwhile (seen on a loaded machine: a publisher's
 * event 192 delivered after its 193 to 199). Thread-safe.
 */
final class Duplicates {

  enum Path {
    CHANNEL,
    STREAM
  }

  private final Window channel;
  private final Window stream;

  Duplicates(int capacity) {
    channel = new Window(capacity);
    stream = new Window(capacity);
  }

  /**
   * Hands {@code message}, arriving on {@code path}, to {@code delivery} unless it is the second
   * copy; in one step with the decision, so deliveries happen in the order they were decided.
   *
   * @return whether it was handed over
   */
  synchronized boolean offer(String message, Path path, Consumer<String> delivery) {
    Window mine = path == Path.CHANNEL ? channel : stream;
    Window other = path == Path.CHANNEL ? stream : channel;
    if (other.take(message)) {
      return false;
    }
    mine.add(message);
    delivery.accept(message);
    return true;
  }

  private static final class Window extends LinkedHashMap<String, Integer> {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    Window(int capacity) {
      super(64, 0.75f, false);
      this.capacity = capacity;
    }

    void add(String message) {
      merge(message, 1, Integer::sum);
    }

    boolean take(String message) {
      Integer count = get(message);
      if (count == null) {
        return false;
      }
      if (count == 1) {
        remove(message);
      } else {
        put(message, count - 1);
      }
      return true;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > capacity;
    }
  }
}
