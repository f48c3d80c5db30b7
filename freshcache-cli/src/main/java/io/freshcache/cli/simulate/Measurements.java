package io.freshcache.cli.simulate;

import org.HdrHistogram.Histogram;

/**
 * What every run measures, whichever the strategy's family: the columns of the report.
 *
 * @param reads reads issued (the run's operations minus its writes); for {@code dependency}, each
 *     read operation makes two reads, of the product and of its category's summary
 * @param hits reads answered from the cache without waiting for the source (stale-while-revalidate
 *     answers included); 0 for {@code no-cache}
 * @param sourceLoads calls to the source: misses and background reloads, failed ones included
 * @param staleReads reads that returned an older version of a row than the current one then: the
 *     database's, or for multi-instance runs the last acknowledged write's
 * @param errors reads that failed because the source was down; 0 without an outage
 * @param latency the real time of one read
 * @param virtualNanos virtual time the run took
 */
record Measurements(
    long reads,
    long hits,
    long sourceLoads,
    long staleReads,
    long errors,
    Latency latency,
    long virtualNanos) {

  /** Share of reads answered from the cache; {@code NaN} if there were no reads. */
  double hitRatio() {
    return reads == 0 ? Double.NaN : (double) hits / reads;
  }

  /**
   * The real time of one read of a run, in nanoseconds.
   *
   * @param p50Nanos the median
   * @param p99Nanos the 99th percentile
   * @param maxNanos the longest
   */
  record Latency(long p50Nanos, long p99Nanos, long maxNanos) {

    /** The percentiles of the reads {@code histogram} recorded. */
    static Latency of(Histogram histogram) {
      return new Latency(
          histogram.getValueAtPercentile(50),
          histogram.getValueAtPercentile(99),
          histogram.getMaxValue());
    }
  }
}
