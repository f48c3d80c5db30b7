package io.freshcache.cli.simulate;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code freshcache simulate} replays against every strategy: how many rows and operations,
 * how reads are spread over the rows, how often rows change, how fast time passes, when the
 * database is down and how many instances the invalidation strategies run on.
 *
 * <p>Time is virtual: each operation moves the clock by {@code 1 / rate} seconds and each source
 * load by {@code sourceLatency} more. The outage covers a fixed range of operations, the middle
 * {@code outage} share of them, so every time-based strategy meets it on exactly the same reads;
 * the invalidation strategies run without it.
 *
 * <p>Paced (over Redis), the invalidation strategies' replay waits for real time before each
 * operation and the clock follows real time ({@link Pace}), so that an event's real propagation is
 * also its propagation in virtual time. A read is stale when it returns an older version than the
 * database had committed {@code toleranceNanos} before the read began ({@link Truth}).
 *
 * @param keys rows in the database, at least 1
 * @param ops operations in the run (reads and writes), at least 1
 * @param rate operations per second of virtual time, at least 1
 * @param sourceLatency virtual time one source load takes, {@code >= 0}
 * @param skew Zipf exponent of the key distribution of reads, {@code >= 0} (0 is uniform)
 * @param writeRatio share of operations that write a row, in {@code [0, 1)}
 * @param outage share of operations, in the middle of a time-based strategy's run, during which the
 *     database fails, in {@code [0, 1)}; 0 disables the outage
 * @param seed seed of every random choice ({@link Seeds}), so that runs are reproducible
 * @param instances application instances of the invalidation strategies, at least 1; the time-based
 *     strategies always run on one
 * @param toleranceNanos how old a newer version may be before a read that missed it counts as
 *     stale, {@code >= 0}
 * @param paced whether the invalidation strategies' replay is paced to real time
 */
record Workload(
    int keys,
    int ops,
    int rate,
    Duration sourceLatency,
    double skew,
    double writeRatio,
    double outage,
    long seed,
    int instances,
    long toleranceNanos,
    boolean paced) {

  /** More instances than this would only slow the run down: each holds its own caches. */
  static final int MAX_INSTANCES = 64;

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
    if (instances < 1 || instances > MAX_INSTANCES) {
      throw new IllegalArgumentException(
          "--instances must be within [1, " + MAX_INSTANCES + "], was " + instances);
    }
    if (toleranceNanos < 0) {
      throw new IllegalArgumentException("--tolerance must not be negative");
    }
  }

  /** A workload judged strictly (no tolerance) and replayed unpaced. */
  Workload(
      int keys,
      int ops,
      int rate,
      Duration sourceLatency,
      double skew,
      double writeRatio,
      double outage,
      long seed,
      int instances) {
    this(keys, ops, rate, sourceLatency, skew, writeRatio, outage, seed, instances, 0, false);
  }

  /** The defaults of {@code freshcache simulate}. */
  static Workload defaults() {
    return new Workload(2_000, 200_000, 1_000, Duration.ofMillis(2), 1.0, 0.02, 0.1, 42, 3);
  }

  Workload withKeys(int keys) {
    return new Workload(
        keys,
        ops,
        rate,
        sourceLatency,
        skew,
        writeRatio,
        outage,
        seed,
        instances,
        toleranceNanos,
        paced);
  }

  Workload withOps(int ops) {
    return new Workload(
        keys,
        ops,
        rate,
        sourceLatency,
        skew,
        writeRatio,
        outage,
        seed,
        instances,
        toleranceNanos,
        paced);
  }

  Workload withRate(int rate) {
    return new Workload(
        keys,
        ops,
        rate,
        sourceLatency,
        skew,
        writeRatio,
        outage,
        seed,
        instances,
        toleranceNanos,
        paced);
  }

  Workload withWriteRatio(double writeRatio) {
    return new Workload(
        keys,
        ops,
        rate,
        sourceLatency,
        skew,
        writeRatio,
        outage,
        seed,
        instances,
        toleranceNanos,
        paced);
  }

  Workload withOutage(double outage) {
    return new Workload(
        keys,
        ops,
        rate,
        sourceLatency,
        skew,
        writeRatio,
        outage,
        seed,
        instances,
        toleranceNanos,
        paced);
  }

  Workload withInstances(int instances) {
    return new Workload(
        keys,
        ops,
        rate,
        sourceLatency,
        skew,
        writeRatio,
        outage,
        seed,
        instances,
        toleranceNanos,
        paced);
  }

  /** This workload with the invalidation strategies' replay paced to real time, or not. */
  Workload withPaced(boolean paced) {
    return new Workload(
        keys,
        ops,
        rate,
        sourceLatency,
        skew,
        writeRatio,
        outage,
        seed,
        instances,
        toleranceNanos,
        paced);
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
