package io.freshcache.testing;

import io.freshcache.InProcessBus;
import io.freshcache.spi.InvalidationBus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One in-process bus that several group instances reach through links of their own, each of which a
 * test can cut off (its publishes fail, as a writer cut off from Redis sees) or make hold its
 * publishes (they are delivered, and confirmed, only when released: a server that pauses writes). A
 * backlog's batch ({@link #publishInOrder}) goes as one unit, as a Redis script takes it. Receiving
 * is never cut: the faults are on the writer's side.
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

    /**
     * A batch goes as one unit, as Redis runs it in one script: refused whole while cut, held whole
     * (each message counts as held) while holding.
     */
    @Override
    public CompletableFuture<Integer> publishInOrder(
        List<String> eventTypes, List<String> messages) {
      synchronized (this) {
        if (cut) {
          refused += messages.size();
          return CompletableFuture.failedFuture(
              new IllegalStateException("the link to the bus is cut"));
        }
        if (holding) {
          CompletableFuture<Integer> confirmed = new CompletableFuture<>();
          for (int i = 0; i < messages.size(); i++) {
            int index = i;
            held.add(
                () -> {
                  shared.publish(eventTypes.get(index), messages.get(index));
                  if (index == messages.size() - 1) {
                    confirmed.complete(messages.size());
                  }
                });
          }
          return confirmed;
        }
      }
      for (int i = 0; i < messages.size(); i++) {
        shared.publish(eventTypes.get(i), messages.get(i));
      }
      return CompletableFuture.completedFuture(messages.size());
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

    /** Publishes held now, neither delivered nor confirmed. */
    public synchronized int held() {
      return held.size();
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
