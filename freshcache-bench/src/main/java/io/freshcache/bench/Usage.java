package io.freshcache.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a stretch of time cost, and how much it had to wait for a CPU: Redis's commands and CPU,
 * this JVM's CPU, the time this JVM's threads and Redis's main thread spent runnable but waiting
 * for a core (Linux {@code schedstat}), and the share of the stretch in which any task of the
 * machine was waiting for one (Linux CPU pressure, {@code /proc/pressure/cpu}). Where Linux does
 * not say, those are NaN. The waits are exact scheduler accounting; {@code /proc/stat}'s busy ticks
 * are not used, as they miss most of this workload's sub-tick bursts.
 *
 * @param redis Redis's commands and CPU seconds over the stretch; null on another bus
 * @param jvmCpuSeconds this JVM's CPU time
 * @param jvmWaitSeconds time this JVM's threads spent waiting for a core, summed over threads
 * @param redisWaitSeconds time Redis's main thread spent waiting for a core (NaN on another bus)
 * @param pressure share of the stretch in which some task of the machine waited for a core
 * @param wallSeconds the stretch's length
 * @param threads this JVM's CPU time by owner (publisher, receivers, other); empty where not
 *     measured
 */
record Usage(
    RedisCounters.Snapshot redis,
    double jvmCpuSeconds,
    double jvmWaitSeconds,
    double redisWaitSeconds,
    double pressure,
    double wallSeconds,
    ThreadCpu.Split threads) {

  /** Starts measuring now; {@code counters} null: no Redis to measure. */
  static Meter start(RedisCounters counters) {
    return new Meter(counters, null);
  }

  /** Starts measuring now, splitting this JVM's CPU time by the owners {@code threads} knows. */
  static Meter start(RedisCounters counters, ThreadCpu threads) {
    return new Meter(counters, threads);
  }

  /** A stretch being measured. */
  static final class Meter {
    private final RedisCounters counters;
    private final Path redisSchedstat;
    private final RedisCounters.Snapshot redis;
    private final long cpu;
    private final double jvmWait;
    private final double redisWait;
    private final double stalled;
    private final long start;
    private final ThreadCpu.Meter threads;

    private Meter(RedisCounters counters, ThreadCpu threads) {
      this.counters = counters;
      this.threads = threads == null || !ThreadCpu.supported() ? null : threads.start();
      this.redisSchedstat =
          counters == null
              ? null
              : Path.of("/proc", counters.serverInfo("process_id"), "schedstat");
      this.redis = counters == null ? null : counters.snapshot();
      this.cpu = processCpuNanos();
      this.jvmWait = jvmWaitNow();
      this.redisWait = redisSchedstat == null ? Double.NaN : waitSeconds(redisSchedstat);
      this.stalled = stalledSeconds();
      this.start = System.nanoTime();
    }

    Usage stop() {
      double wall = (System.nanoTime() - start) / 1e9;
      double stall = stalledSeconds() - stalled;
      double redisWaited =
          redisSchedstat == null ? Double.NaN : waitSeconds(redisSchedstat) - redisWait;
      double jvmWaited = jvmWaitNow() - jvmWait;
      double jvm = (processCpuNanos() - cpu) / 1e9;
      ThreadCpu.Split split = threads == null ? ThreadCpu.Split.NONE : threads.stop();
      return new Usage(
          counters == null ? null : counters.snapshot().minus(redis),
          jvm,
          jvmWaited,
          redisWaited,
          stall / wall,
          wall,
          split);
    }
  }

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Run-queue wait of every live thread of this JVM, summed (threads that ended are lost). */
  private static double jvmWaitNow() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks.mapToDouble(task -> orZero(waitSeconds(task.resolve("schedstat")))).sum();
    } catch (IOException | RuntimeException unavailable) {
      return Double.NaN;
    }
  }

  private static double orZero(double seconds) {
    return Double.isNaN(seconds) ? 0 : seconds;
  }

  /** The second field of a schedstat file: nanoseconds spent waiting on a run queue. */
  private static double waitSeconds(Path schedstat) {
    try {
      String[] fields = Files.readString(schedstat).trim().split(" ");
      return Long.parseLong(fields[1]) / 1e9;
    } catch (IOException | RuntimeException unavailable) {
      return Double.NaN;
    }
  }

  /** Seconds, since boot, in which some task of the machine was waiting for a CPU. */
  private static double stalledSeconds() {
    try {
      String some = Files.readAllLines(Path.of("/proc/pressure/cpu")).get(0);
      return Long.parseLong(some.substring(some.indexOf("total=") + "total=".length()).trim())
          / 1e6;
    } catch (IOException | RuntimeException unavailable) {
      return Double.NaN;
    }
  }
}
