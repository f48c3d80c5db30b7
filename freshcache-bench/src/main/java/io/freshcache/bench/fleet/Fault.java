package io.freshcache.bench.fleet;

import java.util.Locale;

/**
 * The faults of the schedule. Each is applied by {@link FaultInjector}; the window a read is judged
 * in runs from the fault's start to its end plus the settling time.
 */
enum Fault {
  /** Every subscription connection to Redis killed ({@code CLIENT KILL ID}). */
  SUBSCRIBER_KILL,
  /** Every connection reading a stream killed ({@code CLIENT KILL ID}). */
  STREAM_KILL,
  /** The writer's connections cut by a TCP proxy, and new ones refused, for 1.5 s. */
  WRITER_CUT,
  /** Redis killed and started again on the same port, empty. */
  REDIS_RESTART,
  /** {@code DEBUG SLEEP 1}: Redis answers nothing for a second. */
  DEBUG_SLEEP,
  /** {@code CLIENT PAUSE 1000 WRITE}: Redis holds writes (publishes included) for a second. */
  PAUSE_WRITE,
  /** One reader process stopped ({@code SIGSTOP}) for 1.5 s, then continued. */
  READER_STOP,
  /** The writer killed ({@code SIGKILL}) right after a write returned, then started again. */
  WRITER_KILL,
  /** Every source load 300 ms slower for 3 s. */
  SLOW_SOURCE;

  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Fault parse(String label) {
    try {
      return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder known = new StringBuilder();
      for (Fault f : values()) {
        known.append(known.length() == 0 ? "" : ", ").append(f.label());
      }
      throw new IllegalArgumentException(
          "unknown fault '" + label + "': use one of " + known + " (comma-separated)", e);
    }
  }
}
