package io.freshcache.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bus's stream from its last position, on a connection of its own (XREAD blocks), and
 * hands every entry to its {@link Listener}. Each probing read that returns proves the reader
 * caught up to the moment it was sent. After any failure or reconnection it checks, before reading
 * on, that nothing it has not read is gone: Redis restarted (the run id changed), the stream
 * vanished, or entries it has not read were trimmed or deleted — it knows how many entries the
 * stream has had added ({@code entries-added}) and how many of those it read, so it knows how many
 * must still follow its position. Then it reports a loss and starts over from the stream's end;
 * otherwise it replays from where it stopped.
 *
 * <p>On a Redis Cluster it follows the stream's slot. After a failed read it looks the slot's owner
 * up again; if the old owner says it handed the slot to the new one (resharding), the stream went
 * with it whole, so the same continuity check decides; otherwise the slot failed over to a replica,
 * which may lack entries the old master acknowledged and had not replicated, which nobody can see
 * from here: that is reported as a loss.
 */
final class StreamReader implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
  private static final int BATCH = 1_000;
  static final String START = "0-0";

  private final Listener listener;
  private final LogNode node;
  private final String streamKey;
  private final String probeChannel;
  private final boolean shardedProbe;
  private final Duration block;
  private final Thread thread;
  private static final long RUN_ID_CHECK_NANOS = 5_000_000_000L;

  private volatile boolean stopped;
  private volatile boolean healthy = true;
  private volatile boolean reconnected;
  private volatile long caughtUpAt;
  private String lastId = START;

  /** The stream's entries-added when {@link #lastId} was taken as a starting point. */
  private long addedAtStart;

  /** Entries read since then. */
  private long readCount;

  /** What the reader reports, on its own thread, one call at a time. */
  interface Listener {

    /** An event read from the stream (its {@code m} field). */
    void message(String message);

    /** A probing read returned: every entry appended before {@link #caughtUpAt} has been read. */
    void caughtUp();

    /** A read failed: until a probe returns again, entries may be waiting unread. */
    void readFailed();

    /** Entries the reader had not read are gone; it starts over at the stream's end. */
    void loss(String reason);
  }

  /**
   * A reader of {@code streamKey} on the node of {@code connections} (a connection of its own),
   * whose probing writes go to {@code probeChannel} (nobody need listen) once per {@code block}; it
   * reports to {@code listener}. With {@code shardedProbe} the probe is an SPUBLISH, which stays on
   * the stream's shard (a classic PUBLISH on a cluster reaches every node) and is held, as PUBLISH
   * is, by {@code CLIENT PAUSE WRITE}.
   */
  StreamReader(
      Connections<String> connections,
      String streamKey,
      String probeChannel,
      boolean shardedProbe,
      Duration block,
      Listener listener) {
    this.node = new LogNode(connections, streamKey);
    this.streamKey = streamKey;
    this.probeChannel = probeChannel;
    this.shardedProbe = shardedProbe;
    this.block = block;
    this.listener = listener;
    this.thread = new Thread(this, "freshcache-bus-log-" + streamKey);
    thread.setDaemon(true);
  }

  /** Reads the starting position synchronously, then starts the reading thread. */
  void start(long now) {
    restartAtEnd(node.start());
    caughtUpAt = now;
    thread.start();
  }

  /** Stops reading; whoever made the connection closes it. */
  void stop() {
    stopped = true;
    LogNode.stop(thread);
  }

  /** The connection dropped: whatever Lettuce replays, check for gaps before reading on. */
  void disconnected() {
    reconnected = true;
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
    boolean failed = false;
    long lastRunIdCheck = System.nanoTime();
    Long knownId = null;
    long lastProbe = System.nanoTime() - block.toNanos();
    long timeoutNanos = block.toNanos() + 5_000_000_000L;
    while (!stopped) {
      try {
        if (reconnected || System.nanoTime() - lastRunIdCheck > RUN_ID_CHECK_NANOS) {
          reconnected = false;
          check = true;
        }
        if (check) {
          follow(failed);
          checkContinuity(node.connection().sync());
          check = false;
          failed = false;
          lastRunIdCheck = System.nanoTime();
        }
        // Once per heartbeat the connection's id travels with the read, in the same write: a
        // changed id is a reconnection that Lettuce made silently (it re-sends what was in
        // flight), after which gaps must be looked for. Only such a checked read may extend trust.
        // A PUBLISH goes ahead of the read: a Redis that holds writes (CLIENT PAUSE WRITE) holds
        // it, and the read behind it, as it holds the publishers' events, so no proof passes it.
        long sinceProbe = System.nanoTime() - lastProbe;
        boolean probe = sinceProbe >= block.toNanos();
        StatefulRedisConnection<String, String> connection = node.connection();
        RedisAsyncCommands<String, String> async = connection.async();
        long sent = System.nanoTime();
        RedisFuture<Long> id = null;
        if (probe) {
          connection.setAutoFlushCommands(false);
          id = async.clientId();
          if (shardedProbe) {
            async.spublish(probeChannel, "");
          } else {
            async.publish(probeChannel, "");
          }
        }
        RedisFuture<List<StreamMessage<String, String>>> read =
            async.xread(
                // A probe does not block: its proof is the moment it was sent, so it must return
                // at once (a read that blocked while Redis held writes would prove nothing about
                // the events held). Between probes, reads block until the next one is due.
                probe
                    ? XReadArgs.Builder.count(BATCH)
                    : XReadArgs.Builder.block(
                            Math.max(1, (block.toNanos() - sinceProbe) / 1_000_000))
                        .count(BATCH),
                XReadArgs.StreamOffset.from(streamKey, lastId));
        if (probe) {
          connection.flushCommands();
          connection.setAutoFlushCommands(true);
        }
        Long currentId = id == null ? knownId : id.get(timeoutNanos, TimeUnit.NANOSECONDS);
        List<StreamMessage<String, String>> entries = read.get(timeoutNanos, TimeUnit.NANOSECONDS);
        boolean sameConnection = knownId == null || knownId.equals(currentId);
        knownId = currentId;
        if (probe) {
          lastProbe = sent;
        }
        if (reconnected || !sameConnection) {
          // The read spanned a reconnection (Lettuce sent it again on the new connection): what it
          // returned may lie beyond a gap, and a loss must be reported before anything after it.
          // Check first; if nothing is gone, the next read returns these entries again.
          check = true;
          continue;
        }
        for (StreamMessage<String, String> entry : entries) {
          lastId = entry.getId();
          readCount++;
          String message = entry.getBody().get("m");
          if (message != null) {
            listener.message(message);
          }
        }
        if (!healthy) {
          healthy = true;
          log.info("bus log {}: reading again from {}", streamKey, lastId);
        }
        if (probe && entries.size() < BATCH && !reconnected) {
          caughtUpAt = sent;
          listener.caughtUp();
        }
        backoffMillis = 0;
      } catch (InterruptedException e) {
        return;
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        if (stopped) {
          return;
        }
        node.connection().setAutoFlushCommands(true);
        if (healthy) {
          log.warn(
              "bus log {}: read failed, will check for gaps and retry: {}",
              streamKey,
              e.toString());
        }
        healthy = false;
        check = true;
        failed = true;
        listener.readFailed();
        try {
          backoffMillis = LogNode.backOff(backoffMillis);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /**
   * Reads from the node that owns the stream's slot now (after a failed read, with the cluster's
   * topology read afresh). A failover is a loss; a move keeps the position, and the node's run id
   * becomes the one to watch.
   */
  private void follow(boolean afterFailure) {
    String lost = node.follow(afterFailure);
    if (lost != null) {
      restartAtEnd(node.connection().sync());
      listener.loss(lost);
    }
  }

  /** Decides whether the entries after {@link #lastId} are all still there; if not, a loss. */
  private void checkContinuity(RedisCommands<String, String> redis) {
    if (node.restarted()) {
      restartAtEnd(redis);
      listener.loss("Redis restarted (run id changed): events in flight may be lost");
      return;
    }
    List<Object> info = info(redis);
    if (info == null) {
      if (addedAtStart + readCount > 0) {
        restartAtEnd(redis);
        listener.loss("the bus log " + streamKey + " was deleted");
      }
      return;
    }
    long added = Long.parseLong(field(info, "entries-added"));
    long unread = added - addedAtStart - readCount;
    if (unread <= 0) {
      return;
    }
    Long present =
        redis.eval(
            COUNT_AFTER,
            ScriptOutputType.INTEGER,
            new String[] {streamKey},
            "(" + lastId,
            Long.toString(unread));
    if (present < unread) {
      String from = lastId;
      restartAtEnd(redis);
      listener.loss(
          (unread - present)
              + " events after this instance's position "
              + from
              + " in the bus log were trimmed before it read them; resuming at "
              + lastId);
    }
  }

  /** Counts the entries after a position, up to a limit, without sending them. */
  private static final String COUNT_AFTER =
      "return #redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])";

  /** Starts over at the stream's end: its last id and entries-added, read atomically. */
  private void restartAtEnd(RedisCommands<String, String> redis) {
    List<Object> info = info(redis);
    lastId = info == null ? START : field(info, "last-generated-id");
    addedAtStart = info == null ? 0 : Long.parseLong(field(info, "entries-added"));
    readCount = 0;
  }

  /** XINFO STREAM as a flat list, or null if the stream does not exist. */
  private List<Object> info(RedisCommands<String, String> redis) {
    try {
      return redis.xinfoStream(streamKey);
    } catch (RedisCommandExecutionException noSuchKey) {
      if (String.valueOf(noSuchKey.getMessage()).contains("no such key")) {
        return null;
      }
      throw noSuchKey;
    }
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
