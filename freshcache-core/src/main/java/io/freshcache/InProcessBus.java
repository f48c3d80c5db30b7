package io.freshcache;

import io.freshcache.event.EventKeys;
import io.freshcache.spi.InvalidationBus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bus inside one JVM: every message reaches every subscriber synchronously, on the publisher's
 * thread, before {@link #publish} returns. Several {@link CacheGroup} instances attached to one
 * in-process bus behave as several servers sharing a bus, with zero propagation delay.
 *
 * <p>Its messages are judged like any bus's: a group without {@link EventKeys} applies their
 * invalidations but not their values or versions ({@link CacheGroupBuilder#eventKeys}). One rule
 * for every bus keeps a test on this bus faithful to a fleet on Redis.
 *
 * <p>Thread-safe. A subscriber that throws does not stop delivery to the others.
 */
public final class InProcessBus implements InvalidationBus {

  private final List<Attached> receivers = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private static final class Attached {
    final Receiver receiver;

    Attached(Receiver receiver) {
      this.receiver = receiver;
    }

    synchronized void deliver(String message) {
      receiver.onMessage(message);
    }
  }

  @Override
  public CompletableFuture<Void> publish(String eventType, String message) {
    if (closed) {
      throw new IllegalStateException("the in-process bus is closed");
    }
    for (Attached receiver : receivers) {
      try {
        receiver.deliver(message);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(InProcessBus.class)
            .warn("a bus subscriber failed on a message of type {}", eventType, e);
      }
    }
    return DONE;
  }

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  @Override
  public Subscription subscribe(Receiver receiver) {
    if (closed) {
      throw new IllegalStateException("the in-process bus is closed");
    }
    Attached attached = new Attached(receiver);
    receivers.add(attached);
    return () -> receivers.remove(attached);
  }

  @Override
  public void close() {
    closed = true;
    receivers.clear();
  }
}
