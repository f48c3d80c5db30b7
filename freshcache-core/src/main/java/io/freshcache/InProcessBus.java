package io.freshcache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bus inside one JVM: every message reaches every subscriber synchronously, on the publisher's
 * thread, before {@link #publish} returns. Several {@link CacheGroup} instances attached to one
 * in-process bus behave as several servers sharing a bus, with zero propagation delay.
 *
 * <p>Thread-safe. A subscriber that throws does not stop delivery to the others.
 */
public final class InProcessBus implements InvalidationBus {

  private final List<Receiver> receivers = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private static final class Receiver {
    final Consumer<String> consumer;

    Receiver(Consumer<String> consumer) {
      this.consumer = consumer;
    }

    synchronized void deliver(String message) {
      consumer.accept(message);
    }
  }

  @Override
  public void publish(String eventType, String message) {
    if (closed) {
      throw new IllegalStateException("the in-process bus is closed");
    }
    for (Receiver receiver : receivers) {
      try {
        receiver.deliver(message);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(InProcessBus.class)
            .warn("a bus subscriber failed on a message of type {}", eventType, e);
      }
    }
  }

  @Override
  public Subscription subscribe(Consumer<String> consumer) {
    if (closed) {
      throw new IllegalStateException("the in-process bus is closed");
    }
    Receiver receiver = new Receiver(consumer);
    receivers.add(receiver);
    return () -> receivers.remove(receiver);
  }

  @Override
  public void close() {
    closed = true;
    receivers.clear();
  }
}
