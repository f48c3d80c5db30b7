package io.freshcache.cli.simulate;

import java.util.concurrent.locks.LockSupport;

/**
 * Moves a replay's {@link VirtualClock} from one operation to the next: straight to the operation's
 * moment, or, paced, only once real time has reached it, the clock then following real time.
 *
 * <p>Unpaced, minutes of traffic replay in seconds, which is sound when every instance learns of a
 * write before the writer's call returns (one in-process bus). Over a real network an event takes
 * real time to arrive; paced, that time is also its time on the virtual clock, so a read is judged
 * by what had really arrived by then, and a replay that falls behind real time (a busy machine, a
 * slow server) shows in {@link #maxBehindNanos}. Not thread-safe: the replay's thread alone moves
 * it.
 */
final class Pace {

  private final VirtualClock clock;
  private final boolean paced;
  private long realStart;
  private long maxBehindNanos;

  /**
   * @param paced whether to wait for real time before each operation
   */
  Pace(VirtualClock clock, boolean paced) {
    this.clock = clock;
    this.paced = paced;
    this.realStart = System.nanoTime();
  }

  /** Whether the replay waits for real time. */
  boolean paced() {
    return paced;
  }

  /** Makes now real time zero: once the instances are connected, before the first operation. */
  void start() {
    realStart = System.nanoTime();
  }

  /**
   * Moves the clock to {@code nanos}, an operation's moment in virtual time, if it is not there
   * already. Paced, first waits until real time since {@link #start} reaches it; if real time is
   * already past it, the clock moves to real time and the delay is recorded.
   */
  void moveTo(long nanos) {
    long target = nanos;
    if (paced) {
      long wake = realStart + nanos;
      for (long left = wake - System.nanoTime(); left > 0; left = wake - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      long real = System.nanoTime() - realStart;
      maxBehindNanos = Math.max(maxBehindNanos, real - nanos);
      target = Math.max(nanos, real);
    }
    long now = clock.read();
    if (target > now) {
      clock.advance(target - now);
    }
  }

  /** Real time since {@link #start}. */
  long realNanos() {
    return System.nanoTime() - realStart;
  }

  /** The furthest an operation ran behind its moment in real time; 0 unpaced. */
  long maxBehindNanos() {
    return maxBehindNanos;
  }
}
