package io.freshcache.jdbc.pg;

import io.freshcache.stats.PropagationLag;
import org.HdrHistogram.ConcurrentHistogram;

/** A concurrent histogram of lags in microseconds (1 µs to 1 hour, 2 significant digits). */
final class LagRecorder {

  private static final long MAX_MICROS = 3_600_000_000L;

  private final ConcurrentHistogram histogram = new ConcurrentHistogram(1, MAX_MICROS, 2);

  void record(long micros) {
    histogram.recordValue(Math.max(1, Math.min(micros, MAX_MICROS)));
  }

  PropagationLag snapshot() {
    long count = histogram.getTotalCount();
    if (count == 0) {
      return PropagationLag.NONE;
    }
    return new PropagationLag(
        count,
        histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(99),
        histogram.getMaxValue());
  }

  void reset() {
    histogram.reset();
  }
}
