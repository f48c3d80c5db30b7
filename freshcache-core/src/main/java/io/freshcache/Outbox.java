package io.freshcache;

import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group's invalidations that have not reached Redis yet: shared-tier changes and bus events that
 * failed (or that the tier's breaker held back), kept in the order they were made and sent again by
 * one background thread until each gets there — the tier change first, then the event, so that no
 * instance reacting to the event reads the old value back from the tier. While anything waits here,
 * newer invalidations queue behind it instead of overtaking it.
 *
 * <p>Bounded: when more than {@code capacity} wait, they are dropped and replaced by one
 * invalidation of everything in the group — the tier's entries of every cache, and an event that
 * makes every instance clear its caches — sent once Redis answers. Nothing is dropped silently: the
 * worst a full outbox costs is misses.
 *
 * <p>Thread-safe.
 */
final class Outbox {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long MAX_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long PUBLISH_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /**
   * How many waiting invalidations one try sends: their tier changes all at once, then their events
   * in order, so that a backlog drains at about one round trip per batch and catches up with a
   * writer that goes on writing, where one round trip per invalidation fell behind for good.
   */
  static final int BATCH = 256;

  /** How the outbox reaches the tier and the bus: the group's side of the seam. */
  interface Delivery {
    /**
     * Makes the tier forget what each of {@code changes} invalidates, all started at once, ignoring
     * its breaker; true if every one was done.
     */
    boolean applyToTier(List<Invalidation> changes);

    /**
     * Encodes and publishes the events in order; completes with how many of them, from the first,
     * the bus holds every message of (none after the first it could not take was published).
     */
    CompletableFuture<Integer> publishInOrder(
        List<String> eventTypes, List<InvalidationEvent> events);

    /** The event that makes every instance clear every cache of the group. */
    InvalidationEvent clearEverything(String reason);
  }

  /** One invalidation on its way: what the tier still owes, then the event (either may be null). */
  private static final class Pending {
    Invalidation tierChange;
    final String eventType;
    final InvalidationEvent event;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Futures of what this one stands for: the invalidations an overflow dropped. */
    final List<CompletableFuture<Void>> standsFor = new ArrayList<>();

    Pending(Invalidation tierChange, String eventType, InvalidationEvent event) {
      this.tierChange = tierChange;
      this.eventType = eventType;
      this.event = event;
    }
  }

  private final String group;

  /** What the invalidations wait for, as the log lines name it: "Redis". */
  private final String server;

  private final int capacity;
  private final Delivery delivery;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final LongAdder overflows = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private volatile int size;
  private volatile int tierOwed;

  /** Events sent straight to the bus, past the outbox, that the bus has not confirmed yet. */
  private volatile int inFlight;

  private Thread drainer;
  private boolean closed;

  /** Overflows so far: a batch taken before one no longer stands for what waits. */
  private long overflowCount;

  private long backlogSince;

  /**
   * The marker on disk that says whether anything is unconfirmed (in flight or waiting here); null
   * without a marker directory.
   */
  private final OutboxMarker marker;

  Outbox(String group, String server, int capacity, Delivery delivery, OutboxMarker marker) {
    this.group = group;
    this.server = server;
    this.capacity = capacity;
    this.delivery = delivery;
    this.marker = marker;
    if (marker != null) {
      for (java.nio.file.Path orphan : marker.orphans()) {
        log.warn(
            "group '{}': {} says a process stopped with invalidations that never reached {};"
                + " every instance will clear the group's caches, and the shared tier forget"
                + " them, once {} answers",
            group,
            orphan,
            server,
            server);
        add(
                new Invalidation.All(null),
                CacheGroup.INVALIDATE_EVENT,
                delivery.clearEverything("a process stopped with undelivered invalidations"),
                "a previous process left invalidations undelivered")
            .thenRun(() -> marker.forget(orphan));
      }
      synchronized (queue) {
        marker.open(group);
        marker.owing(!queue.isEmpty());
      }
    }
  }

  /**
   * An event goes straight to the bus (nothing waits here): until {@link #confirmed}, a crash of
   * this process loses it, and the marker says so.
   */
  void sending() {
    synchronized (queue) {
      inFlight++;
      if (marker != null) {
        marker.owing(true);
      }
    }
  }

  /**
   * The bus answered an event sent straight to it: it holds it, or it failed and was {@link #add}ed
   * here first.
   */
  void confirmed() {
    synchronized (queue) {
      inFlight--;
      if (marker != null && inFlight == 0 && queue.isEmpty()) {
        marker.owing(false);
      }
      if (inFlight == 0) {
        queue.notifyAll(); // close waits for them too
      }
    }
  }

  /** Events sent straight to the bus and not confirmed yet. */
  int inFlight() {
    return inFlight;
  }

  /** Whether nothing waits: a new invalidation may go straight to the tier and the bus. */
  boolean isEmpty() {
    return size == 0;
  }

  /**
   * Whether a tier change made here has not reached the tier yet: until it has, this instance must
   * not read the tier (it could hand back what this instance invalidated).
   */
  boolean owesTier() {
    return tierOwed != 0;
  }

  int size() {
    return size;
  }

  long overflows() {
    return overflows.sum();
  }

  /** Invalidations that waited here and then got through. */
  long delivered() {
    return delivered.sum();
  }

  /**
   * Queues an invalidation behind everything already waiting; the future completes when it has
   * reached the tier and the bus.
   *
   * @param tierChange what the tier must still forget, or null
   * @param eventType the event's type, or null with {@code event}
   * @param event what to publish once the tier change is done, or null
   * @param reason why it could not go at once, for the log
   */
  CompletableFuture<Void> add(
      Invalidation tierChange, String eventType, InvalidationEvent event, String reason) {
    Pending pending = new Pending(tierChange, eventType, event);
    synchronized (queue) {
      if (closed) {
        pending.done.completeExceptionally(
            new IllegalStateException("group '" + group + "' is closed"));
        return pending.done;
      }
      if (queue.isEmpty()) {
        backlogSince = System.nanoTime();
        log.warn(
            "group '{}': an invalidation could not reach {} ({}); keeping it, and every later"
                + " one, in order in the outbox until {} answers. Other instances may serve what"
                + " this one invalidated until then",
            group,
            server,
            reason,
            server);
      }
      if (queue.size() >= capacity) {
        overflow().standsFor.add(pending.done); // the clear-everything covers this one too
      } else {
        enqueue(pending);
      }
      startDrainer();
      queue.notifyAll();
    }
    return pending.done;
  }

  /**
   * Replaces everything waiting by one invalidation of everything, and returns it. Holds the
   * queue's lock.
   */
  private Pending overflow() {
    Pending head = queue.peekFirst();
    if (head != null && head.event != null && head.standsFor.size() > 0) {
      // Already the clear-everything of an earlier overflow: it covers what follows it too.
      for (Pending dropped : queue) {
        if (dropped != head) {
          head.standsFor.add(dropped.done);
          head.standsFor.addAll(dropped.standsFor);
        }
      }
    } else {
      overflows.increment();
      log.warn(
          "group '{}': the outbox overflowed ({} invalidations waiting for {}); replacing them"
              + " by one invalidation of every cache of the group, sent to every instance and the"
              + " shared tier once {} answers",
          group,
          queue.size(),
          server,
          server);
      Pending all =
          new Pending(
              new Invalidation.All(null),
              CacheGroup.INVALIDATE_EVENT,
              delivery.clearEverything("outbox overflow"));
      for (Pending dropped : queue) {
        all.standsFor.add(dropped.done);
        all.standsFor.addAll(dropped.standsFor);
      }
      head = all;
    }
    queue.clear();
    tierOwed = 0;
    overflowCount++;
    enqueue(head);
    return head;
  }

  private void enqueue(Pending pending) {
    if (marker != null) {
      marker.owing(true);
    }
    queue.addLast(pending);
    size = queue.size();
    if (pending.tierChange != null) {
      tierOwed++;
    }
  }

  private void startDrainer() {
    if (drainer == null) {
      drainer = new Thread(this::drain, "freshcache-outbox-" + group);
      drainer.setDaemon(true);
      drainer.start();
    }
  }

  /**
   * Sends the oldest {@link #BATCH} until they got through, then the next; waits when there is
   * nothing.
   */
  private void drain() {
    long retry = FIRST_RETRY_NANOS;
    while (true) {
      List<Pending> batch = new ArrayList<>();
      long overflowsBefore;
      synchronized (queue) {
        while (queue.isEmpty() && !closed) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (queue.isEmpty()) {
          return;
        }
        for (Pending pending : queue) {
          batch.add(pending);
          if (batch.size() == BATCH) {
            break;
          }
        }
        overflowsBefore = overflowCount;
      }
      int through = attempt(batch, overflowsBefore);
      for (int i = 0; i < through; i++) {
        finished(batch.get(i));
      }
      if (through == batch.size()) {
        retry = FIRST_RETRY_NANOS;
      } else {
        synchronized (queue) {
          if (closed) {
            return;
          }
        }
        LockSupport.parkNanos(retry);
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        retry = Math.min(MAX_RETRY_NANOS, retry * 2);
      }
    }
  }

  /**
   * One try at a batch: every tier change it owes, at once; then, once the tier has done them all,
   * its events, sent in order and waited for together.
   *
   * @return how many of the batch, from its start, got through
   */
  private int attempt(List<Pending> batch, long overflowsBefore) {
    List<Invalidation> tierChanges = new ArrayList<>();
    synchronized (queue) {
      for (Pending pending : batch) {
        if (pending.tierChange != null) {
          tierChanges.add(pending.tierChange);
        }
      }
    }
    if (!tierChanges.isEmpty()) {
      if (!delivery.applyToTier(tierChanges)) {
        return 0; // all are sent again: forgetting twice is harmless
      }
      synchronized (queue) {
        if (overflowCount
            == overflowsBefore) { // else an overflow replaced them and reset the count
          for (Pending pending : batch) {
            if (pending.tierChange != null) {
              pending.tierChange = null;
              tierOwed--;
            }
          }
        }
      }
    }
    List<String> types = new ArrayList<>(batch.size());
    List<InvalidationEvent> events = new ArrayList<>(batch.size());
    int[] eventsBefore = new int[batch.size() + 1]; // events among the first i of the batch
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      if (pending.event != null) {
        types.add(pending.eventType);
        events.add(pending.event);
      }
      eventsBefore[i + 1] = events.size();
    }
    int published;
    if (events.isEmpty()) {
      published = 0;
    } else {
      try {
        published =
            delivery.publishInOrder(types, events).get(PUBLISH_WAIT_NANOS, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        log.debug("group '{}': the outbox could not publish yet: {}", group, e.toString());
        return 0;
      }
    }
    // Through: every pending up to the first whose event the bus did not take.
    int through = 0;
    while (through < batch.size()
        && (batch.get(through).event == null || eventsBefore[through + 1] <= published)) {
      through++;
    }
    if (through < batch.size()) {
      log.debug(
          "group '{}': the outbox got {} of {} through; sending the rest again",
          group,
          through,
          batch.size());
    }
    return through;
  }

  private void finished(Pending head) {
    boolean drained;
    long waited;
    synchronized (queue) {
      if (queue.peekFirst() != head) {
        return; // an overflow replaced it meanwhile: the replacement stands for it
      }
      queue.pollFirst();
      size = queue.size();
      if (head.tierChange != null) {
        tierOwed--;
      }
      drained = queue.isEmpty();
      if (drained && inFlight == 0 && marker != null) {
        marker.owing(false);
      }
      waited = System.nanoTime() - backlogSince;
      queue.notifyAll();
    }
    delivered.increment();
    head.done.complete(null);
    head.standsFor.forEach(f -> f.complete(null));
    if (drained) {
      log.info(
          "group '{}': {} answers again; the outbox is delivered (it waited {} ms)",
          group,
          server,
          TimeUnit.NANOSECONDS.toMillis(waited));
    }
  }

  /**
   * Waits (at most {@code timeout}) for what waits, and what is in flight, to get through, then
   * stops sending. What is left is logged: other instances may keep serving what it invalidated.
   *
   * @return how many invalidations were left undelivered
   */
  int close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int left;
    synchronized (queue) {
      while ((!queue.isEmpty() || inFlight > 0) && System.nanoTime() - deadline < 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(queue, deadline - System.nanoTime());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      closed = true;
      left = queue.size() + inFlight;
      if (marker != null) {
        if (left > 0) {
          marker.keep(); // the next start finds it and has the fleet clear what may be affected
        } else {
          marker.drained();
        }
      }
      IllegalStateException gone =
          new IllegalStateException("group '" + group + "' closed before " + server + " took this");
      for (Pending pending : queue) {
        pending.done.completeExceptionally(gone);
        pending.standsFor.forEach(f -> f.completeExceptionally(gone));
      }
      queue.clear();
      size = 0;
      tierOwed = 0;
      queue.notifyAll();
    }
    if (drainer != null) {
      drainer.interrupt();
    }
    if (left > 0) {
      log.warn(
          "group '{}': closing with {} invalidations that never reached {}: other instances may"
              + " serve what they invalidated until those entries expire",
          group,
          left,
          server);
    }
    return left;
  }

  @Override
  public String toString() {
    return "Outbox[" + group + ", " + size + " waiting]";
  }

  /** The data of the clear-everything event, saying why. */
  static Map<String, Object> reason(String why) {
    return Map.of("reason", why);
  }
}
