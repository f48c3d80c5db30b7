package io.freshcache.jdbc.pg;

import io.freshcache.redis.RedisBus;
import io.freshcache.spi.InvalidationBus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A change capture in a process of its own, for the tests that kill one: maps table {@code items}
 * (key {@code item:{id}}) and publishes on the real Redis, through a {@link DelayedBus} when a
 * delay is given. Prints {@code STARTED} once the capture started, {@code LEADER} when it becomes
 * the slot's consumer, then runs until killed. Arguments: JDBC URL, namespace, slot, bus delay in
 * milliseconds.
 */
public final class CaptureProcess {

  private CaptureProcess() {}

  public static void main(String[] args) throws Exception {
    String namespace = args[1];
    long delay = Long.parseLong(args[3]);
    InvalidationBus redis =
        RedisBus.builder(Fleet.REDIS, namespace).keyPrefix(Fleet.PREFIX).build();
    InvalidationBus bus = delay > 0 ? new DelayedBus(redis, delay) : redis;
    PgChangeCapture.builder(namespace, args[0])
        .slot(args[2])
        .bus(bus)
        .map(TableMapping.table("items").key("item:{id}"))
        .takeoverInterval(Duration.ofMillis(200))
        .lease(Duration.ofSeconds(2))
        .maxInFlight(100_000)
        .listener(
            new CaptureListener() {
              @Override
              public void onLeadership(boolean leader) {
                if (leader) {
                  System.out.println("LEADER");
                  System.out.flush();
                }
              }
            })
        .start();
    System.out.println("STARTED");
    System.out.flush();
    new CountDownLatch(1).await(); // until killed
  }

  /** Starts this class in a new JVM on the test's classpath; its output goes to {@code log}. */
  static Process start(Path log, String... args) throws java.io.IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    command.add("-cp");
    command.add(classpath);
    command.add(CaptureProcess.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }
}
