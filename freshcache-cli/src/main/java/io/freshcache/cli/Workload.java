package io.freshcache.cli;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code freshcache simulate} replays against every strategy: how many rows and operations,
 * how reads are spread over the rows, how often rows change behind the cache's back, how fast time
 * passes and when the database is down.
 *
 * <p>Time is virtual: each operation moves the clock by {@code 1 / rate} seconds and each source
 * load by {@code sourceLatency} more. The outage covers a fixed range of operations, the middle
 * {@code outage} share of them, so every strategy meets it on exactly the same reads.
 *
 * @param keys rows in the database, at least 1
 * @param ops operations in the run (reads and writes), at least 1
 * @param rate operations per second of virtual time, at least 1
 * @param sourceLatency virtual time one source load takes, {@code >= 0}
 * @param skew Zipf exponent of the key distribution of reads, {@code >= 0} (0 is uniform)
 * @param writeRatio share of operations that update a row in the database, in {@code [0, 1)}
 * @param outage share of operations, in the middle of the run, during which the database fails, in
 *     {@code [0, 1)}; 0 disables the outage
 * @param seed seed of the random choices, so that runs are reproducible
 */
record Workload(
    int keys,
    int ops,
    int rate,
    Duration sourceLatency,
    double skew,
    double writeRatio,
    double outage,
    long seed) {

  /**
   * Validates every setting; a bad one fails with an {@link IllegalArgumentException} naming it.
   */
  Workload {
    if (keys < 1) {
      throw new IllegalArgumentException("--keys must be at least 1, was " + keys);
    }
    if (ops < 1) {
      throw new IllegalArgumentException("--ops must be at least 1, was " + ops);
    }
    if (rate < 1) {
      throw new IllegalArgumentException("--rate must be at least 1 op/s, was " + rate);
    }
    Objects.requireNonNull(sourceLatency, "sourceLatency");
    if (sourceLatency.isNegative()) {
      throw new IllegalArgumentException(
          "--source-latency must not be negative, was " + sourceLatency);
    }
    if (!(skew >= 0.0) || Double.isInfinite(skew)) {
      throw new IllegalArgumentException("--skew must be a finite number >= 0, was " + skew);
    }
    if (!(writeRatio >= 0.0 && writeRatio < 1.0)) {
      throw new IllegalArgumentException("--write-ratio must be within [0, 1), was " + writeRatio);
    }
    if (!(outage >= 0.0 && outage < 1.0)) {
      throw new IllegalArgumentException(
          "--outage must be within [0, 1) (0 disables it), was " + outage);
    }
  }

  /** The defaults of {@code freshcache simulate}. */
  static Workload defaults() {
    return new Workload(2_000, 200_000, 1_000, Duration.ofMillis(2), 1.0, 0.02, 0.1, 42);
  }

  Workload withKeys(int keys) {
    return new Workload(keys, ops, rate, sourceLatency, skew, writeRatio, outage, seed);
  }

  Workload withOps(int ops) {
    return new Workload(keys, ops, rate, sourceLatency, skew, writeRatio, outage, seed);
  }

  Workload withRate(int rate) {
    return new Workload(keys, ops, rate, sourceLatency, skew, writeRatio, outage, seed);
  }

  Workload withWriteRatio(double writeRatio) {
    return new Workload(keys, ops, rate, sourceLatency, skew, writeRatio, outage, seed);
  }

  Workload withOutage(double outage) {
    return new Workload(keys, ops, rate, sourceLatency, skew, writeRatio, outage, seed);
  }

  /** Virtual time between two operations, in nanoseconds. */
  long nanosPerOp() {
    return Math.max(1, Math.round(1e9 / rate));
  }

  /** The index of the first operation during which the database is down. */
  int outageFromOp() {
    return (int) Math.round(ops * (1.0 - outage) / 2.0);
  }

  /** The index of the first operation after the outage; equal to {@link #outageFromOp} if none. */
  int outageToOp() {
    return outageFromOp() + (int) Math.round(ops * outage);
  }

  /** Whether the run has an outage of at least one operation. */
  boolean hasOutage() {
    return outageToOp() > outageFromOp();
  }
}
