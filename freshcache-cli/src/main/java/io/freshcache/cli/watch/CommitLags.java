package io.freshcache.cli.watch;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The commit → seen lags of the change-capture events a watch printed, as a histogram: for the
 * running p50/p99 on each such line and the summary at the end. Not thread-safe (the watch prints
 * from one thread at a time).
 */
final class CommitLags {

  /** Lags up to an hour, in microseconds, to 3 significant digits (0.1%). */
  private final Histogram micros = new Histogram(3_600_000_000L, 3);

  private long negative;

  /**
   * Records one lag. A negative one (the database host's clock ahead of this one's) counts as 0 and
   * is counted apart.
   */
  void record(double lagMillis) {
    long us = Math.round(lagMillis * 1_000);
    if (us < 0) {
      negative++;
      us = 0;
    }
    micros.recordValue(Math.min(us, micros.getHighestTrackableValue()));
  }

  long count() {
    return micros.getTotalCount();
  }

  /** The median, in milliseconds to the tenth (the histogram's precision is finer). */
  double p50Millis() {
    return tenths(micros.getValueAtPercentile(50));
  }

  double p99Millis() {
    return tenths(micros.getValueAtPercentile(99));
  }

  double maxMillis() {
    return tenths(micros.getMaxValue());
  }

  private static double tenths(long us) {
    return Math.round(us / 100.0) / 10.0;
  }

  /** The running figures, as a line shows them. */
  String running() {
    return String.format(
        Locale.ROOT, "(p50 %.1fms, p99 %.1fms of %d)", p50Millis(), p99Millis(), count());
  }

  /** The summary line at the end of a watch, or null if no change-capture event was printed. */
  String summary() {
    if (count() == 0) {
      return null;
    }
    return String.format(
            Locale.ROOT,
            "commit -> seen lag of %d change-capture events: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
            count(),
            p50Millis(),
            p99Millis(),
            maxMillis())
        + (negative == 0
            ? ""
            : " (" + negative + " negative, counted as 0: the database host's clock is ahead)");
  }
}
