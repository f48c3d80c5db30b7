package io.freshcache.test;

import static org.assertj.core.api.Assertions.fail;

import io.freshcache.spi.InvalidationBus.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver that writes down, in the order the bus calls it, every message carrying the test's
 * marker, every loss and every trust deadline; and whether the bus ever called it from two threads
 * at once. Messages without the marker are someone else's on a shared server, and are ignored.
 * Thread-safe: the kit reads what the bus's threads write.
 */
final class Recorder implements Receiver {

  /** One call the bus made. */
  sealed interface Signal permits Message, Loss, Trust {}

  record Message(String text) implements Signal {}

  record Loss(String reason) implements Signal {}

  /**
   * A {@link Receiver#trustUntil} call: the deadline, and {@link System#nanoTime()} at the call.
   */
  record Trust(long deadline, long at) implements Signal {
    /** Whether the deadline was still ahead when the bus handed it over. */
    boolean grants() {
      return deadline - at > 0;
    }
  }

  private final String marker;
  private final BlockingQueue<Signal> arrived = new LinkedBlockingQueue<>();
  private final List<Signal> taken = new ArrayList<>();
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicBoolean overlapped = new AtomicBoolean();

  Recorder(String marker) {
    this.marker = marker;
  }

  @Override
  public void onMessage(String message) {
    enter();
    try {
      if (message.startsWith(marker)) {
        arrived.add(new Message(message));
      }
    } finally {
      inside.decrementAndGet();
    }
  }

  @Override
  public void onLoss(String reason) {
    enter();
    try {
      arrived.add(new Loss(reason));
    } finally {
      inside.decrementAndGet();
    }
  }

  @Override
  public void trustUntil(long deadline) {
    enter();
    try {
      arrived.add(new Trust(deadline, System.nanoTime()));
    } finally {
      inside.decrementAndGet();
    }
  }

  private void enter() {
    if (inside.incrementAndGet() > 1) {
      overlapped.set(true);
    }
  }

  /** Whether two of the bus's calls to this receiver ever overlapped. */
  boolean overlapped() {
    return overlapped.get();
  }

  /**
   * Waits until {@code count} messages have arrived in all, and returns them in arrival order;
   * fails naming what did arrive if they do not within {@code timeout}.
   */
  synchronized List<String> awaitMessages(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (messages().size() < count) {
      if (!takeNext(deadline)) {
        fail(
            "expected %d messages within %s, got %d: %s",
            count, timeout, messages().size(), abbreviated(messages()));
      }
    }
    return messages();
  }

  /** Waits until {@code text} has arrived; fails naming what did arrive if it does not in time. */
  synchronized void awaitMessage(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!messages().contains(text)) {
      if (!takeNext(deadline)) {
        fail("expected %s within %s, got %s", text, timeout, abbreviated(messages()));
      }
    }
  }

  /** Waits until {@code count} trust deadlines in the future have arrived; false if they do not. */
  synchronized boolean awaitGrants(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (grants().size() < count) {
      if (!takeNext(deadline)) {
        return false;
      }
    }
    return true;
  }

  /** Waits until a loss has been reported; false if none is within {@code timeout}. */
  synchronized boolean awaitLoss(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (taken.stream().noneMatch(Loss.class::isInstance)) {
      if (!takeNext(deadline)) {
        return false;
      }
    }
    return true;
  }

  /** Everything the bus called so far, in order, without waiting. */
  synchronized List<Signal> signals() {
    arrived.drainTo(taken);
    return List.copyOf(taken);
  }

  synchronized List<String> messages() {
    List<String> texts = new ArrayList<>();
    for (Signal signal : taken) {
      if (signal instanceof Message m) {
        texts.add(m.text());
      }
    }
    return texts;
  }

  synchronized List<Trust> trusts() {
    signals();
    List<Trust> trusts = new ArrayList<>();
    for (Signal signal : taken) {
      if (signal instanceof Trust t) {
        trusts.add(t);
      }
    }
    return trusts;
  }

  private List<Trust> grants() {
    List<Trust> grants = new ArrayList<>();
    for (Signal signal : taken) {
      if (signal instanceof Trust t && t.grants()) {
        grants.add(t);
      }
    }
    return grants;
  }

  private boolean takeNext(long deadline) {
    try {
      Signal next = arrived.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next == null) {
        return false;
      }
      taken.add(next);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the bus", e);
    }
  }

  /** Long messages shortened, so that a failure names them without a megabyte of text. */
  static List<String> abbreviated(List<String> messages) {
    List<String> out = new ArrayList<>();
    for (String m : messages) {
      out.add(m.length() <= 80 ? m : m.substring(0, 60) + "…(" + m.length() + " chars)");
    }
    return out;
  }
}
