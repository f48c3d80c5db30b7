package io.freshcache.redis;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.time.Duration;

/**
 * A writer in a process of its own, for the tests that kill a writer right after its call returned:
 * builds a strict group on a Redis bus, puts one value, prints {@code ACK} when the put has
 * returned, then waits to be killed. Arguments: Redis URI, namespace, key, value.
 */
public final class StrictWriterProcess {

  private StrictWriterProcess() {}

  public static void main(String[] args) throws Exception {
    RedisBus bus =
        RedisBus.builder(args[0], args[1])
            .keyPrefix("wftest")
            .stalenessBound(Duration.ofMillis(200))
            .failFast(true)
            .build();
    CacheGroup group = CacheGroup.builder(args[1]).bus(bus).strict(Duration.ofSeconds(30)).build();
    FreshCache<String, String> users =
        group.cache("users", String.class, String.class).keyPrefix("user:").build();
    System.out.println("READY");
    System.out.flush();
    System.in.read(); // the test says when to write
    users.put(args[2], args[3]);
    System.out.println("ACK");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /** The command line that runs this class with the test's classpath. */
  static ProcessBuilder command(String... args) {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classpath);
    command.add(StrictWriterProcess.class.getName());
    command.addAll(java.util.List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }
}
