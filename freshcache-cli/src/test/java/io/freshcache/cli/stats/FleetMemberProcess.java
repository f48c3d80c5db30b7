package io.freshcache.cli.stats;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.redis.RedisBus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An instance of a test fleet in a process of its own, for {@code freshcache stats} to see and for
 * the test to kill: builds a group on a Redis bus sending its status every 200 ms, reads a cache
 * (one miss, then hits), prints {@code READY} and waits. A shutdown hook closes the group, so
 * SIGTERM makes it say goodbye and SIGKILL does not. Arguments: Redis URI, key prefix, namespace,
 * instance id.
 */
public final class FleetMemberProcess {

  static final Duration INTERVAL = Duration.ofMillis(200);

  private FleetMemberProcess() {}

  public static void main(String[] args) throws Exception {
    CacheGroup group =
        CacheGroup.builder(args[2])
            .bus(RedisBus.builder(args[0]).keyPrefix(args[1]))
            .instanceId(args[3])
            .statusInterval(INTERVAL)
            .build();
    Runtime.getRuntime().addShutdownHook(new Thread(group::close));
    FreshCache<String, String> products =
        group.cache("products", String.class, String.class).source(k -> "v:" + k).build();
    for (int i = 0; i < 4; i++) {
      products.get("p1"); // 1 miss, 3 hits
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /** Starts one with the test's classpath. */
  static Process start(String uri, String prefix, String namespace, String id) throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-cp");
    command.add(classpath);
    command.add(FleetMemberProcess.class.getName());
    command.addAll(List.of(uri, prefix, namespace, id));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    java.io.BufferedReader out =
        new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null) {
      if (line.equals("READY")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "drain " + id);
        drain.setDaemon(true);
        drain.start();
        return process;
      }
      seen.append(line).append('\n');
    }
    throw new IllegalStateException("fleet member " + id + " ended before it was ready:\n" + seen);
  }
}
