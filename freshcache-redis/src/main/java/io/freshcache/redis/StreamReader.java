package io.freshcache.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bus's stream from its last position, on a connection of its own (XREAD blocks), and
 * hands every entry to the bus. Each read that returns proves the bus caught up to the moment it
 * was sent. After any failure it checks, before reading on, that nothing it has not read is gone:
 * Redis restarted (the run id changed), the stream vanished, or it was trimmed past the last
 * position read (Redis 7's {@code max-deleted-entry-id}). Then it reports a loss and starts over
 * from the stream's end; otherwise it replays from where it stopped.
 */
final class StreamReader implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
  private static final int BATCH = 1_000;
  static final String START = "0-0";

  private final RedisBus bus;
  private final StatefulRedisConnection<String, String> connection;
  private final Duration block;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean healthy = true;
  private volatile long caughtUpAt;
  private String lastId = START;
  private String runId;

  StreamReader(RedisBus bus, StatefulRedisConnection<String, String> connection, Duration block) {
    this.bus = bus;
    this.connection = connection;
    this.block = block;
    this.thread = new Thread(this, "freshcache-bus-log-" + bus.streamKey);
    thread.setDaemon(true);
  }

  /** Reads the starting position synchronously, then starts the reading thread. */
  void start(long now) {
    RedisCommands<String, String> redis = connection.sync();
    runId = runId(redis);
    lastId = lastEntryId(redis);
    caughtUpAt = now;
    thread.start();
  }

  void stop() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }

  long caughtUpAt() {
    return caughtUpAt;
  }

  boolean healthy() {
    return healthy;
  }

  @Override
  public void run() {
    long backoffMillis = 0;
    boolean check = false;
    while (!stopped) {
      try {
        RedisCommands<String, String> redis = connection.sync();
        if (check) {
          checkContinuity(redis);
          check = false;
        }
        long sent = System.nanoTime();
        List<StreamMessage<String, String>> entries =
            redis.xread(
                XReadArgs.Builder.block(block).count(BATCH),
                XReadArgs.StreamOffset.from(bus.streamKey, lastId));
        for (StreamMessage<String, String> entry : entries) {
          lastId = entry.getId();
          String message = entry.getBody().get("m");
          if (message != null) {
            bus.deliver(message);
          }
        }
        if (entries.size() < BATCH) {
          caughtUpAt = sent;
        }
        if (!healthy) {
          healthy = true;
          log.info("bus log {}: reading again from {}", bus.streamKey, lastId);
        }
        backoffMillis = 0;
      } catch (RuntimeException e) {
        if (stopped) {
          return;
        }
        if (healthy) {
          log.warn(
              "bus log {}: read failed, will check for gaps and retry: {}",
              bus.streamKey,
              e.toString());
        }
        healthy = false;
        check = true;
        bus.streamTrouble();
        backoffMillis = Math.min(1_000, Math.max(10, backoffMillis * 2));
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Decides whether the entries after {@link #lastId} are all still there; if not, a loss. */
  private void checkContinuity(RedisCommands<String, String> redis) {
    String currentRun = runId(redis);
    if (!currentRun.equals(runId)) {
      runId = currentRun;
      lastId = lastEntryId(redis);
      bus.reportLoss("Redis restarted (run id changed): events in flight may be lost");
      return;
    }
    List<Object> info;
    try {
      info = redis.xinfoStream(bus.streamKey);
    } catch (RedisCommandExecutionException noSuchKey) {
      if (!START.equals(lastId)) {
        lastId = START;
        bus.reportLoss("the bus log " + bus.streamKey + " was deleted");
      }
      return;
    }
    String maxDeleted = field(info, "max-deleted-entry-id");
    if (maxDeleted != null && compare(maxDeleted, lastId) > 0) {
      String resumeAt = lastEntryId(redis);
      bus.reportLoss(
          "the bus log was trimmed past this instance's position "
              + lastId
              + " (entries up to "
              + maxDeleted
              + " are gone); resuming at "
              + resumeAt);
      lastId = resumeAt;
    }
  }

  private String lastEntryId(RedisCommands<String, String> redis) {
    List<StreamMessage<String, String>> last =
        redis.xrevrange(bus.streamKey, Range.create("-", "+"), Limit.from(1));
    return last.isEmpty() ? START : last.get(0).getId();
  }

  private static String runId(RedisCommands<String, String> redis) {
    for (String line : redis.info("server").split("\r?\n")) {
      if (line.startsWith("run_id:")) {
        return line.substring("run_id:".length()).trim();
      }
    }
    return "";
  }

  private static String field(List<Object> info, String name) {
    for (int i = 0; i + 1 < info.size(); i += 2) {
      if (name.equals(String.valueOf(info.get(i)))) {
        Object value = info.get(i + 1);
        return value == null ? null : String.valueOf(value);
      }
    }
    return null;
  }

  /** Compares two stream ids ({@code ms-seq}) numerically. */
  static int compare(String a, String b) {
    int da = a.indexOf('-');
    int db = b.indexOf('-');
    long msA = Long.parseLong(da < 0 ? a : a.substring(0, da));
    long msB = Long.parseLong(db < 0 ? b : b.substring(0, db));
    if (msA != msB) {
      return Long.compare(msA, msB);
    }
    long seqA = da < 0 ? 0 : Long.parseLong(a.substring(da + 1));
    long seqB = db < 0 ? 0 : Long.parseLong(b.substring(db + 1));
    return Long.compare(seqA, seqB);
  }
}
