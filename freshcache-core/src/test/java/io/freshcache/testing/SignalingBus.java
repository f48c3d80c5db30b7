package io.freshcache.testing;

import io.freshcache.InProcessBus;
import io.freshcache.spi.InvalidationBus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process bus that a test can make report a loss or a liveness change to its receivers, the
 * way a networked bus does when its connection drops: for testing how groups react to those signals
 * without a network.
 */
public final class SignalingBus implements InvalidationBus {

  private final InProcessBus delegate = new InProcessBus();
  private final List<Receiver> receivers = new CopyOnWriteArrayList<>();

  @Override
  public CompletableFuture<Void> publish(String eventType, String message) {
    return delegate.publish(eventType, message);
  }

  @Override
  public Subscription subscribe(Receiver receiver) {
    receivers.add(receiver);
    Subscription inner = delegate.subscribe(receiver);
    return () -> {
      receivers.remove(receiver);
      inner.close();
    };
  }

  /** Tells every receiver that messages may have been lost. */
  public void reportLoss(String reason) {
    receivers.forEach(r -> r.onLoss(reason));
  }

  /** Tells every receiver whether the bus vouches for delivery: from now on, or not any more. */
  public void reportLiveness(boolean live) {
    long deadline = live ? Long.MAX_VALUE : System.nanoTime() - 1;
    receivers.forEach(r -> r.trustUntil(deadline));
  }

  /** The receivers attached now, to signal them directly. */
  public List<Receiver> receivers() {
    return List.copyOf(receivers);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
