package io.freshcache.redis;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A reading instance in a process of its own, for {@link HealthyFleetProcessesIT}: a group on a
 * Redis bus reading ten keys in a loop (pausing 200 µs between reads: busy, not saturated),
 * printing {@code SUSPENDED <ms since start>} for each suspension and {@code DONE applied <n>} at
 * the end. Arguments: Redis URI, namespace, seconds.
 */
public final class ReaderProcess {

  private ReaderProcess() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    RedisBus bus =
        RedisBus.builder(args[0], args[1])
            .keyPrefix("calmtest")
            .stalenessBound(Duration.ofMillis(200))
            .failFast(true)
            .build();
    CacheGroup group = CacheGroup.builder(args[1]).bus(bus).build();
    FreshCache<String, String> items =
        group
            .cache("items", String.class, String.class)
            .keyPrefix("item:")
            .source(k -> "v")
            .build();
    long end = start + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
    long seen = 0;
    for (long n = 0; System.nanoTime() < end; n++) {
      items.get(Long.toString(n % 10));
      long suspensions = group.stats().suspensions();
      if (suspensions != seen) {
        seen = suspensions;
        System.out.println("SUSPENDED " + (System.nanoTime() - start) / 1_000_000);
      }
      LockSupport.parkNanos(200_000);
    }
    System.out.println("DONE applied " + group.stats().applied());
    System.out.flush();
    group.close();
    bus.close();
  }

  /** The command line that runs this class with the test's classpath. */
  static ProcessBuilder command(String... args) {
    java.util.List<String> command =
        new java.util.ArrayList<>(WriterProcess.command(args).command());
    command.set(command.indexOf(WriterProcess.class.getName()), ReaderProcess.class.getName());
    return new ProcessBuilder(command).redirectErrorStream(true);
  }
}
