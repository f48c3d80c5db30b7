package io.freshcache.test;

import io.freshcache.spi.InvalidationBus.Receiver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A receiver that writes down what the bus called, in order: {@code "m:<text>"} for a message,
 * {@code "loss"} for a loss. It may be made to block on its first message, standing for a slow
 * consumer. Thread-safe.
 */
public final class RecordingReceiver implements Receiver {

  private final List<String> calls = new ArrayList<>();
  private final CountDownLatch release;
  private volatile long lastDeadline;

  /** A receiver that never blocks. */
  public RecordingReceiver() {
    this(null);
  }

  /** A receiver that blocks on its first message until {@code release} opens. */
  public RecordingReceiver(CountDownLatch release) {
    this.release = release;
  }

  @Override
  public void onMessage(String message) {
    synchronized (this) {
      calls.add("m:" + message);
    }
    if (release != null) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized void onLoss(String reason) {
    calls.add("loss");
  }

  @Override
  public void trustUntil(long deadline) {
    lastDeadline = deadline;
  }

  /** Every call so far, in order: {@code "m:<text>"} for a message, {@code "loss"} for a loss. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** The messages delivered so far, in order. */
  public synchronized List<String> messages() {
    List<String> messages = new ArrayList<>();
    for (String call : calls) {
      if (call.startsWith("m:")) {
        messages.add(call.substring(2));
      }
    }
    return messages;
  }

  /** How many losses were reported so far. */
  public synchronized long losses() {
    return calls.stream().filter("loss"::equals).count();
  }

  /** Whether the last deadline the bus handed over is still ahead. */
  public boolean trusted() {
    return System.nanoTime() - lastDeadline < 0;
  }
}
