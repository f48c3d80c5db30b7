package io.freshcache.test;

import io.freshcache.InProcessBus;
import io.freshcache.spi.InvalidationBus;
import java.util.concurrent.CompletableFuture;

/**
 * A deliberately broken bus: it keeps back every other message and delivers it after the next one,
 * so each pair arrives swapped. For showing that the bus kit catches a bus that reorders.
 */
final class ReorderingBus implements InvalidationBus {

  private final InProcessBus delivering = new InProcessBus();
  private String keptBack;

  @Override
  public CompletableFuture<Void> publish(String eventType, String message) {
    String first;
    synchronized (this) {
      if (keptBack == null) {
        keptBack = message;
        return CompletableFuture.completedFuture(null); // "held": it is in this bus
      }
      first = keptBack;
      keptBack = null;
    }
    delivering.publish(eventType, message);
    return delivering.publish(eventType, first);
  }

  @Override
  public Subscription subscribe(Receiver receiver) {
    return delivering.subscribe(receiver);
  }

  @Override
  public void close() {
    delivering.close();
  }
}
