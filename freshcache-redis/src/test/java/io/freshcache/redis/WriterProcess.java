package io.freshcache.redis;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.FreshCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer in a process of its own, for the tests that kill a writer: builds a group on a Redis
 * bus, prints {@code READY}, waits for a line on standard input, puts one value, prints what
 * happened, then waits to be killed. Arguments: Redis URI, namespace, key, value, mode — {@code
 * strict} (a strict group: prints {@code ACK} once the put returned), {@code queued DIR} (the
 * default mode with outbox markers in DIR: prints {@code QUEUED} once the put's invalidation waits
 * in the outbox) or {@code sent DIR} (the same group: prints {@code SENT} and the outbox's depth
 * the moment the put returned, its event sent to Redis and not yet confirmed).
 */
public final class WriterProcess {

  private WriterProcess() {}

  public static void main(String[] args) throws Exception {
    boolean strict = args[4].equals("strict");
    RedisBus bus =
        RedisBus.builder(args[0], args[1])
            .keyPrefix("wftest")
            .stalenessBound(Duration.ofMillis(200))
            .commandTimeout(Duration.ofMillis(500))
            .failFast(strict)
            .build();
    CacheGroupBuilder settings = CacheGroup.builder(args[1]).bus(bus).instanceId("writer");
    CacheGroup group =
        strict
            ? settings.strict(Duration.ofSeconds(30)).build()
            : settings.outboxMarkers(Path.of(args[5])).build();
    FreshCache<String, String> users =
        group.cache("users", String.class, String.class).keyPrefix("user:").build();
    System.out.println("READY");
    System.out.flush();
    System.in.read(); // the test says when to write
    users.put(args[2], args[3]);
    if (strict) {
      System.out.println("ACK");
    } else if (args[4].equals("sent")) {
      System.out.println("SENT " + group.stats().outboxDepth());
    } else {
      while (group.stats().outboxDepth() == 0) {
        Thread.onSpinWait();
      }
      System.out.println("QUEUED");
    }
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /** The command line that runs this class with the test's classpath. */
  static ProcessBuilder command(String... args) {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classpath);
    command.add(WriterProcess.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }
}
