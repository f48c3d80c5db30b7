package io.freshcache.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces a publisher's events at a fixed rate: event {@code i} is due {@code i / rate} seconds
 * after the start. A publisher that falls behind sends its late events at once, so the achieved
 * rate is reported beside the asked one. Parks rather than spins: on two cores a spinning publisher
 * would take a core from the receivers it is measuring.
 */
final class Pacer {

  private final long periodNanos;
  private long start;

  Pacer(double ratePerSecond) {
    this.periodNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
  }

  void start() {
    start = System.nanoTime();
  }

  /** Waits until event {@code i} is due. */
  void awaitTurn(long i) {
    long due = start + i * periodNanos;
    for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /** Events per second achieved for {@code events} sent since {@link #start()}. */
  double achievedRate(long events) {
    return events / ((System.nanoTime() - start) / 1e9);
  }
}
