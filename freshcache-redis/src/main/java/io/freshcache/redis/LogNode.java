package io.freshcache.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node a bus's log is read on, for its {@link StreamReader} or {@link GapFiller}: on a Redis
 * Cluster it follows the log's slot, and it remembers the node's run id, so that a restart (a new
 * run id) or a failover to a replica (which may lack entries the old master acknowledged and had
 * not replicated, which nobody can see from here) can be reported as a loss. Used from one thread.
 */
final class LogNode {

  private static final Logger log = LoggerFactory.getLogger(LogNode.class);

  private final Connections<String> connections;
  private final String streamKey;
  private StatefulRedisConnection<String, String> connection;
  private String runId;

  LogNode(Connections<String> connections, String streamKey) {
    this.connections = connections;
    this.streamKey = streamKey;
    this.connection = connections.node();
  }

  StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  /** Reads the run id to watch from now on, and returns the node's commands. */
  RedisCommands<String, String> start() {
    RedisCommands<String, String> redis = connection.sync();
    runId = runId(redis);
    return redis;
  }

  /** Whether Redis restarted since its run id was last read; the new one is watched from now on. */
  boolean restarted() {
    String current = runId(connection.sync());
    if (current.equals(runId)) {
      return false;
    }
    runId = current;
    return true;
  }

  /**
   * Goes on with the node that owns the log's slot now (after a failure, with the cluster's
   * topology read afresh). A move keeps the position; a failover is a loss, whose reason this
   * returns (else null).
   */
  String follow(boolean afterFailure) {
    Connections.Owner<String> owner = connections.follow(afterFailure);
    if (!owner.moved()) {
      return null;
    }
    connection = owner.connection();
    runId = runId(connection.sync());
    log.info(
        "bus log {}: its slot moved from node {} to {} ({})",
        streamKey,
        owner.before(),
        owner.now(),
        owner.handedOver() ? "resharded" : "failed over");
    return owner.handedOver()
        ? null
        : "the bus log's slot failed over from node "
            + owner.before()
            + " to its replica "
            + owner.now()
            + ": events the old master acknowledged but had not replicated may be lost";
  }

  /** Sleeps after a failed read twice as long as after the one before (10 ms to 1 s). */
  static long backOff(long previousMillis) throws InterruptedException {
    long millis = Math.min(1_000, Math.max(10, previousMillis * 2));
    Thread.sleep(millis);
    return millis;
  }

  /** Stops a log thread: interrupts it and waits for it, at most 2 s. */
  static void stop(Thread thread) {
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String runId(RedisCommands<String, String> redis) {
    for (String line : redis.info("server").split("\r?\n")) {
      if (line.startsWith("run_id:")) {
        return line.substring("run_id:".length()).trim();
      }
    }
    return "";
  }
}
