package io.freshcache.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a stretch of time cost: Redis's commands and CPU, this JVM's CPU, and the whole machine's
 * busy CPU and steal (from {@code /proc/stat}; NaN elsewhere), so a report can say how much of the
 * machine other processes, or the hypervisor, took while it measured.
 *
 * @param redis Redis's commands and CPU seconds over the stretch
 * @param jvmCpuSeconds this JVM's CPU time
 * @param machineBusySeconds CPU time every process of the machine used (all cores)
 * @param stealSeconds CPU time the hypervisor gave to other guests while this one was runnable
 * @param wallSeconds the stretch's length
 */
record Usage(
    RedisCounters.Snapshot redis,
    double jvmCpuSeconds,
    double machineBusySeconds,
    double stealSeconds,
    double wallSeconds) {

  /** Starts measuring now. */
  static Meter start(RedisCounters counters) {
    return new Meter(counters);
  }

  /** Cores kept busy, on average, by processes other than this JVM and Redis. */
  double otherCores() {
    return (machineBusySeconds - jvmCpuSeconds - redis.cpuSeconds()) / wallSeconds;
  }

  /** A stretch being measured. */
  static final class Meter {
    private final RedisCounters counters;
    private final RedisCounters.Snapshot redis;
    private final long cpu = processCpuNanos();
    private final double[] machine = machineNow();
    private final long start;

    private Meter(RedisCounters counters) {
      this.counters = counters;
      this.redis = counters.snapshot();
      this.start = System.nanoTime();
    }

    Usage stop() {
      double wall = (System.nanoTime() - start) / 1e9;
      double jvm = (processCpuNanos() - cpu) / 1e9;
      double[] now = machineNow();
      return new Usage(
          counters.snapshot().minus(redis), jvm, now[0] - machine[0], now[1] - machine[1], wall);
    }
  }

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Busy and steal CPU seconds of the whole machine since boot, from /proc/stat's first line. */
  private static double[] machineNow() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ..., in USER_HZ (100 on Linux)
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7}) {
        busy += Long.parseLong(f[i]);
      }
      return new double[] {busy / 100.0, Long.parseLong(f[8]) / 100.0};
    } catch (IOException | RuntimeException unavailable) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }
}
