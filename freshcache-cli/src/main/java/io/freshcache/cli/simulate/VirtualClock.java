package io.freshcache.cli.simulate;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated time for the caches under test: nanoseconds since the start of a run, moved only by
 * {@link #advance}. Every expiry, refresh and load-time decision of a cache built with this ticker
 * follows it, so minutes of traffic replay in seconds and a run never sleeps.
 *
 * <p>Starts at zero and never goes back. Thread-safe: background loads advance it too.
 */
final class VirtualClock implements Ticker {

  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long read() {
    return nanos.get();
  }

  /**
   * Moves the clock forward.
   *
   * @throws IllegalArgumentException if {@code nanos} is negative
   */
  void advance(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("the clock only moves forward; was asked " + nanos);
    }
    this.nanos.addAndGet(nanos);
  }
}
