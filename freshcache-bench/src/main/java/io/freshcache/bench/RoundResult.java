package io.freshcache.bench;

import java.util.List;

/**
 * One measured round of one kind (raw pub/sub or freshcache) at one instance count.
 *
 * @param kind {@code raw} or {@code freshcache}
 * @param instances receiving instances
 * @param round the round's number: 0 for the JVM warm-up, then from 1
 * @param lags publish-to-receive lags of the measured events (warm-up excluded), every receiver
 *     pooled
 * @param expected receptions expected in all (warm-up included): events times receivers
 * @param received receptions seen before the round's deadline
 * @param achievedRate events per second the publisher achieved
 * @param reachedAllRate events per second from the first publish to the last reception on every
 *     receiver (what the bus sustained to all of them; NaN if a reception was missing)
 * @param usage Redis's commands and CPU, this JVM's CPU and the waits for a core, from the first
 *     event to the last reception
 * @param details lines of the kind's own cross-checks, for the log
 */
record RoundResult(
    String kind,
    int instances,
    int round,
    Lags lags,
    long expected,
    long received,
    double achievedRate,
    double reachedAllRate,
    Usage usage,
    List<String> details) {

  boolean complete() {
    return received == expected;
  }

  /** {@code events} per second between {@code firstSent} and {@code lastReceived}, or NaN. */
  static double reachedAll(long events, long firstSent, long lastReceived, boolean complete) {
    return complete && lastReceived > firstSent
        ? events / ((lastReceived - firstSent) / 1e9)
        : Double.NaN;
  }
}
