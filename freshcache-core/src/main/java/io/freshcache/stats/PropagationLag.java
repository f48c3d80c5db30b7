package io.freshcache.stats;

/**
 * How long invalidations from other instances took from publication to being applied here, as
 * measured by this instance against the publisher's timestamp (so it includes the clock skew
 * between the two hosts; on one host, none). Percentiles are accurate to about 6%.
 *
 * @param count events measured
 * @param p50Micros median lag, microseconds
 * @param p99Micros 99th percentile, microseconds
 * @param maxMicros the largest lag (bucket upper edge), microseconds
 */
public record PropagationLag(long count, long p50Micros, long p99Micros, long maxMicros) {

  /** No event measured yet. */
  public static final PropagationLag NONE = new PropagationLag(0, 0, 0, 0);
}
