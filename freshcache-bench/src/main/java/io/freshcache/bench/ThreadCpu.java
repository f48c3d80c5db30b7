package io.freshcache.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time per thread of this JVM, summed by owner, so that a round that hosts a publisher and N
 * receivers in one JVM can say what the receivers cost apart from the publisher. A thread's owner
 * is whoever was being set up when the thread appeared ({@link #during}): a bus's connections,
 * event loops and reader threads start while the bus is built or subscribed. Threads that start
 * later, or belong to no one (the common pool, the JVM's own), are counted as {@link #OTHER} and
 * named in {@link Split#others()}, so that what could not be attributed is visible, not hidden in a
 * total. A thread that ends between the two snapshots takes its CPU time with it.
 */
final class ThreadCpu {

  static final String PUBLISHER = "publisher";
  static final String RECEIVERS = "receivers";
  static final String OTHER = "other";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, String> owners = new ConcurrentHashMap<>();

  /** Whether this JVM measures the CPU time of each thread (HotSpot on Linux does). */
  static boolean supported() {
    return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
  }

  /**
   * Runs {@code setUp} and gives {@code owner} every thread that appeared meanwhile, except the
   * common pool's, which serves everyone.
   */
  <T> T during(String owner, Callable<T> setUp) throws Exception {
    Set<Long> before = live();
    try {
      return setUp.call();
    } finally {
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info != null
            && !before.contains(info.getThreadId())
            && !info.getThreadName().startsWith("ForkJoinPool")) {
          owners.putIfAbsent(info.getThreadId(), owner);
        }
      }
    }
  }

  /** Gives {@code owner} a thread that already runs (the one that publishes, say). */
  void own(String owner, Thread thread) {
    owners.put(thread.getId(), owner);
  }

  /** Starts measuring: the CPU time of every live thread now. */
  Meter start() {
    return new Meter(cpuNow());
  }

  /** A stretch being measured. */
  final class Meter {
    private final Map<Long, Long> start;

    private Meter(Map<Long, Long> start) {
      this.start = start;
    }

    /** CPU seconds per owner since {@link #start}, threads born meanwhile counted whole. */
    Split stop() {
      Map<String, Double> seconds = new TreeMap<>();
      Map<String, Double> others = new TreeMap<>();
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long now = THREADS.getThreadCpuTime(info.getThreadId());
        if (now < 0) {
          continue;
        }
        double used = (now - start.getOrDefault(info.getThreadId(), 0L)) / 1e9;
        String owner = owners.getOrDefault(info.getThreadId(), OTHER);
        seconds.merge(owner, used, Double::sum);
        if (owner.equals(OTHER) && used >= 0.001) {
          others.merge(pool(info.getThreadName()), used, Double::sum);
        }
      }
      return new Split(seconds, others);
    }
  }

  /**
   * CPU seconds by owner over a stretch.
   *
   * @param seconds by owner ({@link #PUBLISHER}, {@link #RECEIVERS}, {@link #OTHER})
   * @param others the {@link #OTHER} threads that used at least a millisecond, by name (numbers
   *     stripped, so a pool's threads add up)
   */
  record Split(Map<String, Double> seconds, Map<String, Double> others) {

    static final Split NONE = new Split(Map.of(), Map.of());

    double of(String owner) {
      return seconds.getOrDefault(owner, 0.0);
    }

    /** One line for the log: the unattributed threads that used CPU. */
    String describeOthers() {
      if (others.isEmpty()) {
        return "none";
      }
      StringBuilder out = new StringBuilder();
      others.forEach(
          (name, s) ->
              out.append(out.length() == 0 ? "" : ", ")
                  .append(String.format(Locale.ROOT, "%s %.0f ms", name, s * 1e3)));
      return out.toString();
    }
  }

  private static Set<Long> live() {
    Set<Long> ids = new HashSet<>();
    for (long id : THREADS.getAllThreadIds()) {
      ids.add(id);
    }
    return ids;
  }

  private static Map<Long, Long> cpuNow() {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long nanos = THREADS.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.put(id, nanos);
      }
    }
    return cpu;
  }

  /** A thread's name without its numbers: {@code ForkJoinPool.commonPool-worker-3} → its pool. */
  private static String pool(String name) {
    return name.replaceAll("[0-9]+", "#");
  }
}
