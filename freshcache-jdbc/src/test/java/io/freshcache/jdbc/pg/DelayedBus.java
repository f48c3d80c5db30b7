package io.freshcache.jdbc.pg;

import io.freshcache.spi.InvalidationBus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real bus that is slow to accept: each publish reaches the bus {@code delayMillis} later, in
 * order, and its future completes when the bus accepted it. Stands for a far or loaded Redis, so
 * that a consumer killed mid-stream always has transactions received but not yet accepted.
 */
final class DelayedBus implements InvalidationBus {

  private final InvalidationBus delegate;
  private final long delayMillis;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "delayed-bus");
            t.setDaemon(true);
            return t;
          });

  DelayedBus(InvalidationBus delegate, long delayMillis) {
    this.delegate = delegate;
    this.delayMillis = delayMillis;
  }

  @Override
  public CompletableFuture<Void> publish(String eventType, String message) {
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    scheduler.schedule(
        () ->
            delegate
                .publish(eventType, message)
                .whenComplete(
                    (ok, failure) -> {
                      if (failure != null) {
                        accepted.completeExceptionally(failure);
                      } else {
                        accepted.complete(null);
                      }
                    }),
        delayMillis,
        TimeUnit.MILLISECONDS);
    return accepted;
  }

  @Override
  public String namespace() {
    return delegate.namespace();
  }

  @Override
  public Subscription subscribe(Receiver receiver) {
    return delegate.subscribe(receiver);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    delegate.close();
  }
}
