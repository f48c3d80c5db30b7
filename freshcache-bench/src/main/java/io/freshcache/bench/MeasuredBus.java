package io.freshcache.bench;

import io.freshcache.spi.InvalidationBus;
import java.util.List;

/**
 * The bus a propagation run measures: how each freshcache instance connects to it, its raw peer
 * (the same broker through its plain client, no freshcache), and what a round leaves behind on the
 * server. One per run; {@link #close} releases what it opened (a broker it started).
 */
interface MeasuredBus extends AutoCloseable {

  /** {@code redis}, {@code rabbitmq} or {@code kafka}: the harness's {@code --bus}. */
  String name();

  /** One line on the server, for the run's header. */
  String describe();

  /** A bus of its own for one freshcache instance of the group {@code namespace}. */
  InvalidationBus connect(String namespace, String instanceId);

  /**
   * Deletes what a round's group left on the server (its stream, exchange or topic), named by one
   * of its buses ({@link #connect}'s), once they are closed.
   */
  void cleanUp(InvalidationBus closed);

  /** The plain client's peer for one raw round, on a channel of its own named from {@code name}. */
  RawPeer raw(String name) throws Exception;

  /** Redis's own counters, or null on another bus (its rounds then report this JVM's CPU only). */
  default RedisCounters counters() {
    return null;
  }

  /** How many things of the run {@code runId} are still on the server (0: it left nothing). */
  default long leftBehind(String runId) {
    return 0;
  }

  @Override
  void close();

  /** One raw round's plain publisher and subscribers. */
  interface RawPeer extends AutoCloseable {

    /**
     * Opens one receiving "process" (a connection of its own) that hands every message to {@code
     * listener}, first thing on the client's delivery thread; it is receiving when this returns.
     */
    AutoCloseable subscribe(Listener listener) throws Exception;

    /** Publishes {@code message} without waiting for the server (as the buses do). */
    void publish(String message);

    /** The publisher's own cross-checks, after the round; {@code expected} receptions in all. */
    List<String> details(long expected);

    @Override
    void close();
  }

  /** What a raw subscriber calls for each message. */
  interface Listener {
    void message(String message);
  }
}
