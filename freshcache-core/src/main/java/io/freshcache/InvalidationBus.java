package io.freshcache;

import java.util.function.Consumer;

/**
 * Carries encoded invalidation events between the instances of a cache group. The messages are the
 * JSON of the brief's wire format; a bus moves them, it does not read them.
 *
 * <p>A bus delivers every message published after a subscription to that subscriber, in the order
 * one publisher published them. Delivery may be synchronous or asynchronous; a subscriber is never
 * called concurrently with itself. Implementations: {@link InProcessBus} here, Redis in {@code
 * freshcache-redis}.
 */
public interface InvalidationBus extends AutoCloseable {

  /**
   * Sends a message to every subscriber, this process's included.
   *
   * @param eventType the event's type, which a bus may use to route (Redis: the channel name)
   * @param message the encoded event
   */
  void publish(String eventType, String message);

  /** Delivers every following message to {@code receiver} until the subscription is closed. */
  Subscription subscribe(Consumer<String> receiver);

  /** Stops delivering and releases the bus's resources. */
  @Override
  void close();

  /** A receiver's attachment to a bus. */
  interface Subscription extends AutoCloseable {
    /** Stops delivery to this receiver. Idempotent. */
    @Override
    void close();
  }
}
