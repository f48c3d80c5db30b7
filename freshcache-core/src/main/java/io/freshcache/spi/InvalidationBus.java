package io.freshcache.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Carries encoded invalidation events between the instances of a cache group. The messages are the
 * JSON of the plain wire format ({@link io.freshcache.event.EventCodec}); a bus moves them, it does
 * not read them.
 *
 * <p>A bus delivers every message published after a subscription to that subscriber, in the order
 * one publisher published them, and never calls one receiver concurrently with itself. A bus that
 * can lose messages (a dropped connection, a restarted server, a trimmed log) must say so: {@link
 * Receiver#onLoss} when it knows messages may be gone, and {@link Receiver#trustUntil} to bound how
 * long local state may be trusted without further word from it. Implementations: {@link
 * io.freshcache.InProcessBus} here (never loses anything), Redis in {@code freshcache-redis}.
 */
public interface InvalidationBus extends AutoCloseable {

  /**
   * Sends a message to every subscriber, this process's included.
   *
   * <p>The future completes once the bus holds the message, so that it reaches every subscriber
   * even if this process dies now (Redis: the server has appended it to its log and published it),
   * and completes exceptionally if the bus could not take it (unreachable, timed out). A cache
   * group keeps a message whose future failed and sends it again later ({@link
   * io.freshcache.CacheGroupBuilder} explains its outbox); a bus need not retry on its own.
   *
   * @param eventType the event's type, which a bus may use to route (Redis: the channel name)
   * @param message the encoded event
   * @return completes when the bus holds the message
   * @throws IllegalStateException if the bus is closed
   */
  CompletableFuture<Void> publish(String eventType, String message);

  /**
   * Sends several messages in order: a writer's backlog, which the cache group's outbox sends once
   * the bus answers again. The future completes with how many of them, from the first, the bus
   * holds (all of them when nothing failed); none after the first one it could not take reaches a
   * subscriber from this call, so the group sends the rest again in the same order.
   *
   * <p>The default publishes each once the bus confirmed the one before: one round trip per
   * message. A bus that can take a batch in one round trip, in order and all or nothing, should
   * override it: a backlog that drains one round trip per message falls further behind a writer
   * that goes on writing faster than that.
   *
   * @param eventTypes each message's event type
   * @param messages the encoded events, as many as {@code eventTypes}
   * @return completes with the number of messages, from the first, that the bus holds
   * @throws IllegalStateException if the bus is closed
   */
  default CompletableFuture<Integer> publishInOrder(
      java.util.List<String> eventTypes, java.util.List<String> messages) {
    if (eventTypes.size() != messages.size()) {
      throw new IllegalArgumentException(
          eventTypes.size() + " event types for " + messages.size() + " messages");
    }
    CompletableFuture<Integer> through = CompletableFuture.completedFuture(0);
    for (int i = 0; i < messages.size(); i++) {
      int index = i;
      through =
          through.thenCompose(
              done ->
                  done < index
                      ? CompletableFuture.completedFuture(done)
                      : publishOrFail(eventTypes.get(index), messages.get(index))
                          .handle((ok, failure) -> failure == null ? index + 1 : index));
    }
    return through;
  }

  /** {@link #publish}, with a synchronous failure turned into a failed future. */
  private CompletableFuture<Void> publishOrFail(String eventType, String message) {
    try {
      CompletableFuture<Void> sent = publish(eventType, message);
      return sent == null ? CompletableFuture.completedFuture(null) : sent;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * What the bus talks to, as log lines name it ("Redis", "RabbitMQ", "Kafka"): where an
   * invalidation waits to get through to.
   */
  default String serverName() {
    return "the bus";
  }

  /**
   * The namespace (cache group) this bus carries, or {@code null} if it carries any group's
   * messages. A group refuses a bus of another namespace.
   */
  default String namespace() {
    return null;
  }

  /**
   * Opens a bus for a namespace: what a group is handed when it is to own its bus ({@link
   * io.freshcache.CacheGroupBuilder#bus(Opener)}). A bus builder implements it, so the namespace is
   * given once, to the group.
   */
  @FunctionalInterface
  interface Opener {
    /** A new bus for {@code namespace}, which the caller owns and closes. */
    InvalidationBus open(String namespace);
  }

  /** Delivers every following message to {@code receiver} until the subscription is closed. */
  Subscription subscribe(Receiver receiver);

  /** Stops delivering and releases the bus's resources. */
  @Override
  void close();

  /** What a bus delivers to. */
  interface Receiver {

    /** A message from the bus. */
    void onMessage(String message);

    /**
     * Messages may have been lost and cannot be replayed: everything the receiver holds that they
     * could have invalidated must go. Called before any message that follows the loss.
     */
    default void onLoss(String reason) {}

    /**
     * Local state may be trusted until {@link System#nanoTime()} reaches {@code deadline}, and no
     * longer: the bus has delivered everything published up to its staleness bound before the
     * deadline. A bus calls this each time it confirms it has caught up, moving the deadline on;
     * when it cannot confirm (a stalled server, a dead connection) it stops calling, or calls with
     * a deadline already past, and the receiver stops trusting local state on its own. A bus that
     * never loses messages never calls it, and trust is unbounded.
     */
    default void trustUntil(long deadline) {}
  }

  /** A receiver's attachment to a bus. */
  interface Subscription extends AutoCloseable {
    /** Stops delivery to this receiver. Idempotent. */
    @Override
    void close();
  }
}
