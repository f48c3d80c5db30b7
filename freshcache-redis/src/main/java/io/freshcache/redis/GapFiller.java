package io.freshcache.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bus's stream only when its {@link Sequencer} misses something: a channel copy arrived
 * beyond a gap, or a heartbeat showed the log further on than what was handed over. It reads the
 * log's sequence, then the entries after the sequencer's position, and hands them to it; if the log
 * no longer holds a number the sequencer waits for (trimmed, deleted, recreated) it reports a loss
 * and starts the sequencer again at the log's end. On a connection of its own.
 *
 * <p>Between fills it watches what the stream reader of a stream-only bus watches: after a
 * reconnection, and every few seconds, that Redis did not restart (its run id) and, on a Redis
 * Cluster, that the log's slot did not fail over to a replica (which may lack what the old master
 * acknowledged, and whose sequence then numbers new events as the lost ones were); either is a
 * loss. Until such a check has passed it is not {@link #healthy}. On a cluster it also asks the
 * node it reads from, once per heartbeat, for the sequence: a node that no longer owns the slot
 * refuses (MOVED), and the filler follows the slot; {@link #ownerCheckedAt} says when the last such
 * question that was answered was sent, so that the bus trusts no longer than that.
 */
final class GapFiller implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(GapFiller.class);
  private static final int BATCH = 1_000;
  private static final long CHECK_NANOS = 5_000_000_000L;

  /** The log's sequence and its last entry id, read together. */
  private static final String POSITION =
      "local info = redis.pcall('XINFO', 'STREAM', KEYS[1]) local last = '0-0' "
          + "if not info.err then for i = 1, #info, 2 do "
          + "if info[i] == 'last-generated-id' then last = info[i + 1] end end end "
          + "return {redis.call('GET', KEYS[2]) or '0', last}";

  /** What the filler reports, on its own thread. */
  interface Listener {

    /** A read or check failed: until one passes again, a gap may go unnoticed. */
    void readFailed();
  }

  private final LogNode node;
  private final String streamKey;
  private final String seqKey;
  private final Listener listener;
  private final Thread thread;
  private final AtomicBoolean wanted = new AtomicBoolean();

  /** On a cluster, how often the node is asked whether it still owns the slot; 0 otherwise. */
  private final long ownerCheckNanos;

  private volatile long ownerCheckedAt;
  private Sequencer sequencer;
  private volatile boolean stopped;
  private volatile boolean reconnected;
  private volatile boolean healthy = true;

  /**
   * A filler of {@code streamKey}, numbered by {@code seqKey}, on the node of {@code connections};
   * with {@code ownerCheck} (on a cluster: the heartbeat interval) it checks that often that the
   * node still owns the slot.
   */
  GapFiller(
      Connections<String> connections,
      String streamKey,
      String seqKey,
      java.time.Duration ownerCheck,
      Listener listener) {
    this.node = new LogNode(connections, streamKey);
    this.ownerCheckNanos = ownerCheck.toNanos();
    this.streamKey = streamKey;
    this.seqKey = seqKey;
    this.listener = listener;
    this.thread = new Thread(this, "freshcache-bus-log-" + streamKey);
    thread.setDaemon(true);
  }

  /**
   * Reads the log's position synchronously and returns a sequencer that starts there, reporting to
   * {@code output} and asking this filler to read a gap (once {@link #start}ed).
   */
  Sequencer open(Sequencer.Output output) {
    List<String> at = position(node.start());
    sequencer = new Sequencer(output, this::fill, number(at.get(0)), at.get(1));
    ownerCheckedAt = System.nanoTime();
    return sequencer;
  }

  /** Starts the filling thread: fills asked for before it starts are read then. */
  void start() {
    thread.start();
  }

  void stop() {
    stopped = true;
    LogNode.stop(thread);
  }

  /** Asks for a fill: soon, on the filler's thread. */
  void fill() {
    wanted.set(true);
    LockSupport.unpark(thread);
  }

  /** The connection dropped: check for a restart or failover before trusting again. */
  void disconnected() {
    reconnected = true;
    healthy = false;
    LockSupport.unpark(thread);
  }

  /**
   * When the last answered check that the node still owns the log's slot was sent; on a standalone
   * Redis, always now (there is no slot to lose).
   */
  long ownerCheckedAt() {
    return ownerCheckNanos == 0 ? System.nanoTime() : ownerCheckedAt;
  }

  /** Whether the last read or check passed and none is due after a reconnection. */
  boolean healthy() {
    return healthy && !reconnected;
  }

  @Override
  public void run() {
    long lastCheck = System.nanoTime();
    long lastOwnerCheck = lastCheck;
    boolean failed = false;
    long backoffMillis = 0;
    while (!stopped) {
      try {
        if (reconnected || failed || System.nanoTime() - lastCheck > CHECK_NANOS) {
          reconnected = false;
          follow(failed);
          checkRunId();
          lastCheck = System.nanoTime();
          failed = false;
        }
        if (ownerCheckNanos > 0 && System.nanoTime() - lastOwnerCheck >= ownerCheckNanos) {
          long sent = System.nanoTime();
          node.connection().sync().get(seqKey); // refused by a node that no longer owns the slot
          ownerCheckedAt = sent;
          lastOwnerCheck = sent;
        }
        if (wanted.getAndSet(false) || sequencer.behind()) {
          readGap();
        }
        if (!healthy) {
          healthy = true;
          log.info("bus log {}: reading again", streamKey);
        }
        backoffMillis = 0;
        if (!wanted.get() && !reconnected && !sequencer.behind()) {
          LockSupport.parkNanos(
              this,
              ownerCheckNanos > 0
                  ? Math.max(1, ownerCheckNanos - (System.nanoTime() - lastOwnerCheck))
                  : CHECK_NANOS);
        }
        if (Thread.interrupted() && stopped) {
          return;
        }
      } catch (RuntimeException e) {
        if (stopped) {
          return;
        }
        if (healthy) {
          log.warn("bus log {}: read failed, will check and retry: {}", streamKey, e.toString());
        }
        healthy = false;
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
   * Reads the log's sequence, then every entry after the sequencer's position, handing each to it.
   * A number the sequencer needs that the log no longer holds is a loss.
   */
  private void readGap() {
    RedisCommands<String, String> redis = node.connection().sync();
    sequencer.fillStarts();
    String current = redis.get(seqKey);
    long head = current == null ? 0 : number(current);
    Sequencer.Position from = sequencer.position();
    if (head < from.seq()) {
      restartAtEnd(
          redis,
          "the bus log's sequence went back from "
              + from.seq()
              + " to "
              + head
              + " (its keys were deleted, or Redis lost writes): events may be lost");
      return;
    }
    String after = from.id();
    while (sequencer.position().seq() < head) {
      List<StreamMessage<String, String>> entries =
          redis.xrange(
              streamKey,
              Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded()),
              Limit.from(BATCH));
      for (StreamMessage<String, String> entry : entries) {
        after = entry.getId();
        String number = entry.getBody().get("s");
        String message = entry.getBody().get("m");
        if (number == null || message == null) {
          continue; // from a publisher that numbers nothing: heard on the channel, or not at all
        }
        long n = number(number);
        if (n > 0 && !sequencer.fromLog(n, entry.getId(), message)) {
          lost(redis, from, n);
          return;
        }
      }
      if (entries.size() < BATCH) {
        break;
      }
    }
    long reached = sequencer.position().seq();
    if (reached < head) {
      lost(redis, from, head + 1);
      return;
    }
    sequencer.fillEnds(head);
  }

  private void lost(RedisCommands<String, String> redis, Sequencer.Position from, long found) {
    long missing = sequencer.position().seq() + 1;
    restartAtEnd(
        redis,
        (found - 1 > missing ? "events " + missing + " to " + (found - 1) : "event " + missing)
            + " of the bus log, after this instance's position "
            + from.id()
            + ", were trimmed before it read them");
  }

  /** Reports a loss and starts the sequencer again at the log's end. */
  private void restartAtEnd(RedisCommands<String, String> redis, String reason) {
    List<String> at = position(redis);
    sequencer.restart(reason, number(at.get(0)), at.get(1));
  }

  /** A sequence number as the log holds it; 0 (none) for anything else. */
  private static long number(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException notOurs) {
      return 0;
    }
  }

  private List<String> position(RedisCommands<String, String> redis) {
    return redis.eval(POSITION, ScriptOutputType.MULTI, streamKey, seqKey);
  }

  private void checkRunId() {
    if (node.restarted()) {
      restartAtEnd(
          node.connection().sync(),
          "Redis restarted (run id changed): events in flight may be lost");
    }
  }

  /** After a failure or reconnection: the node that owns the log's slot now. */
  private void follow(boolean afterFailure) {
    String lost = node.follow(afterFailure);
    if (lost != null) {
      restartAtEnd(node.connection().sync(), lost);
    }
  }
}
