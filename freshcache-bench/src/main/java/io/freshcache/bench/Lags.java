package io.freshcache.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Publish-to-receive lags of one measurement, recorded in nanoseconds (three significant digits)
 * and reported in microseconds. Thread-safe: recorded from Lettuce's event loops and the bus's
 * threads, read by the harness.
 */
final class Lags {

  private static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);

  private final Histogram histogram = new SynchronizedHistogram(HIGHEST, 3);

  /** Records one lag; negative ones (impossible with one clock) count as zero. */
  void record(long nanos) {
    histogram.recordValue(Math.min(HIGHEST, Math.max(0, nanos)));
  }

  /** Adds every lag of {@code other} to this one. */
  void add(Lags other) {
    histogram.add(other.histogram);
  }

  long count() {
    return histogram.getTotalCount();
  }

  /** The lag at {@code percentile} (0 to 100), microseconds. */
  double micros(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1_000.0;
  }

  double maxMicros() {
    return histogram.getMaxValue() / 1_000.0;
  }

  /** p50, p90, p99 and max in microseconds, for a log line. */
  String summary() {
    return String.format(
        Locale.ROOT,
        "p50 %s  p90 %s  p99 %s  max %s µs (%d lags)",
        format(micros(50)),
        format(micros(90)),
        format(micros(99)),
        format(maxMicros()),
        count());
  }

  static String format(double micros) {
    return micros >= 100
        ? String.format(Locale.ROOT, "%,.0f", micros)
        : String.format(Locale.ROOT, "%.1f", micros);
  }
}
