package io.freshcache.testing;

import io.freshcache.InProcessBus;
import io.freshcache.spi.InvalidationBus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One in-process bus that several group instances reach through links of their own, each of which a
 * test can cut off (its publishes fail, as a writer cut off from Redis sees) or make hold its
 * publishes (they are delivered, and confirmed, only when released: a server that pauses writes).
 * Receiving is never cut: the faults are on the writer's side.
 */
public final class PartitionableBus {

  private final InProcessBus shared = new InProcessBus();

  /** A new instance's own way onto the bus. */
  public Link link() {
    return new Link();
  }

  /** One instance's connection to the bus. Thread-safe. */
  public final class Link implements InvalidationBus {

    private boolean cut;
    private boolean holding;
    private final List<Runnable> held = new ArrayList<>();
    private int refused;

    @Override
    public CompletableFuture<Void> publish(String eventType, String message) {
      synchronized (this) {
        if (cut) {
          refused++;
          return CompletableFuture.failedFuture(
              new IllegalStateException("the link to the bus is cut"));
        }
        if (holding) {
          CompletableFuture<Void> confirmed = new CompletableFuture<>();
          held.add(
              () -> {
                shared.publish(eventType, message);
                confirmed.complete(null);
              });
          return confirmed;
        }
      }
      return shared.publish(eventType, message);
    }

    /** From now on every publish fails at once. */
    public synchronized Link cut() {
      cut = true;
      return this;
    }

    /** Publishes go through again. */
    public synchronized Link heal() {
      cut = false;
      return this;
    }

    /** From now on publishes are held, neither delivered nor confirmed, until {@link #release}. */
    public synchronized Link hold() {
      holding = true;
      return this;
    }

    /** Delivers and confirms what was held, in order, and stops holding. */
    public void release() {
      List<Runnable> due;
      synchronized (this) {
        holding = false;
        due = new ArrayList<>(held);
        held.clear();
      }
      due.forEach(Runnable::run);
    }

    /** Publishes refused while cut. */
    public synchronized int refused() {
      return refused;
    }

    @Override
    public Subscription subscribe(Receiver receiver) {
      return shared.subscribe(receiver);
    }

    @Override
    public void close() {}
  }
}
