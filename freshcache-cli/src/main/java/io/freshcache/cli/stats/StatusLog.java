package io.freshcache.cli.stats;

import io.freshcache.event.StatusMessages;
import io.freshcache.stats.InstanceStatus;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the statuses a group's instances sent from the group's log on Redis (the stream every event
 * of the group is appended to), newest first back to the start of a window, and then only what was
 * added since. The log also holds the group's invalidations, which are skipped unread; it is capped
 * in length ({@code RedisBus.streamMaxLength}), so on a busy group it may reach back less far than
 * the window ({@link #reachesBackMillis()}).
 */
final class StatusLog {

  /** Entries read per round trip. */
  private static final int PAGE = 1_000;

  private final RedisCommands<String, String> redis;
  private final String streamKey;
  private final long windowMillis;

  private final List<Fleet.Heard> heard = new ArrayList<>();
  private String lastId;
  private long oldestReadMillis = Long.MAX_VALUE;
  private long nowMillis;
  private int unreadable;

  StatusLog(RedisCommands<String, String> redis, String streamKey, long windowMillis) {
    this.redis = redis;
    this.streamKey = streamKey;
    this.windowMillis = windowMillis;
  }

  /** Reads what is new and returns the fleet it describes now (Redis's clock). */
  Fleet read() {
    List<String> time = redis.time();
    nowMillis = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    long start = nowMillis - windowMillis;
    List<StreamMessage<String, String>> newest =
        redis.xrevrange(streamKey, Range.create("-", "+"), Limit.from(1));
    if (lastId != null && (newest.isEmpty() || compare(newest.get(0).getId(), lastId) < 0)) {
      reset(); // the log was deleted or Redis restarted empty: read it again
    }
    if (lastId == null) {
      readBackTo(start);
    } else {
      readForwardFrom(lastId);
    }
    heard.removeIf(h -> h.atMillis() < start);
    return Fleet.of(List.copyOf(heard), nowMillis);
  }

  /**
   * How far back the log reached when it was first read: the window's start, or later if the log
   * held nothing older (capped in length, or younger than the window).
   */
  long reachesBackMillis() {
    return Math.max(nowMillis - windowMillis, Math.min(oldestReadMillis, nowMillis));
  }

  /** Whether the log held entries older than the window, so the whole window was seen. */
  boolean coversWindow() {
    return oldestReadMillis <= nowMillis - windowMillis;
  }

  /** Status messages that did not decode (each skipped). */
  int unreadable() {
    return unreadable;
  }

  private void reset() {
    heard.clear();
    lastId = null;
    oldestReadMillis = Long.MAX_VALUE;
  }

  private void readBackTo(long startMillis) {
    String upper = "+";
    while (true) {
      List<StreamMessage<String, String>> page =
          redis.xrevrange(streamKey, Range.create(startMillis + "-0", upper), Limit.from(PAGE));
      for (StreamMessage<String, String> entry : page) {
        if (lastId == null) {
          lastId = entry.getId();
        }
        take(entry);
      }
      if (page.size() < PAGE) {
        break;
      }
      String earliest = page.get(page.size() - 1).getId();
      upper = before(earliest);
      if (upper == null) {
        break;
      }
    }
    if (oldestReadMillis > startMillis) {
      // Is there anything older than the window? Then the window was whole.
      List<StreamMessage<String, String>> older =
          redis.xrevrange(streamKey, Range.create("-", before(startMillis + "-0")), Limit.from(1));
      if (!older.isEmpty()) {
        oldestReadMillis = millis(older.get(0).getId());
      }
    }
  }

  private void readForwardFrom(String afterId) {
    String lower = after(afterId);
    while (true) {
      List<StreamMessage<String, String>> page =
          redis.xrange(streamKey, Range.create(lower, "+"), Limit.from(PAGE));
      for (StreamMessage<String, String> entry : page) {
        take(entry);
        lastId = entry.getId();
      }
      if (page.size() < PAGE) {
        return;
      }
      lower = after(lastId);
    }
  }

  private void take(StreamMessage<String, String> entry) {
    long at = millis(entry.getId());
    oldestReadMillis = Math.min(oldestReadMillis, at);
    String message = entry.getBody().get("m");
    if (message == null || !StatusMessages.isStatus(message)) {
      return;
    }
    try {
      InstanceStatus status = StatusMessages.decode(message);
      heard.add(new Fleet.Heard(at, status));
    } catch (IllegalArgumentException e) {
      unreadable++;
    }
  }

  static long millis(String id) {
    int dash = id.indexOf('-');
    return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
  }

  private static long sequence(String id) {
    int dash = id.indexOf('-');
    return dash < 0 ? 0 : Long.parseUnsignedLong(id.substring(dash + 1));
  }

  /** The id right after {@code id}: ranges here are inclusive. */
  static String after(String id) {
    long seq = sequence(id);
    return seq == -1L ? (millis(id) + 1) + "-0" : millis(id) + "-" + Long.toUnsignedString(seq + 1);
  }

  /** The id right before {@code id}, or null if there is none. */
  static String before(String id) {
    long ms = millis(id);
    long seq = sequence(id);
    if (seq != 0) {
      return ms + "-" + Long.toUnsignedString(seq - 1);
    }
    return ms == 0 ? null : (ms - 1) + "-" + Long.toUnsignedString(-1L);
  }

  static int compare(String a, String b) {
    int byMillis = Long.compare(millis(a), millis(b));
    return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence(a), sequence(b));
  }
}
