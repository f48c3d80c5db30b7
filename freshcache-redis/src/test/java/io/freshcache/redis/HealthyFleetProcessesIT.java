package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A healthy fleet of separate processes — two readers, each a JVM of its own started with the test,
 * and a writer here invalidating ten keys ten times a second — is never suspended, from the first
 * second on. Before the group warmed its codec up, each reader suspended about once as the first
 * event arrived (a cold JVM decoding it on the bus's delivery thread held the heartbeats back), and
 * a few more times later.
 */
class HealthyFleetProcessesIT {

  private static final long SECONDS = 20;

  @Test
  void separateReaderProcessesAreNeverSuspended() throws Exception {
    String namespace = "calm-processes-" + System.nanoTime();
    try (PrivateRedis redis = new PrivateRedis()) {
      List<Process> readers = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          readers.add(
              ReaderProcess.command(redis.uri(), namespace, Long.toString(SECONDS)).start());
        }
        try (RedisBus bus = RedisBus.builder(redis.uri(), namespace).keyPrefix("calmtest").build();
            CacheGroup writer = CacheGroup.builder(namespace).bus(bus).build()) {
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
          for (long n = 0; System.nanoTime() < end; n++) {
            writer.invalidateKeys("item:" + n % 10);
            TimeUnit.MILLISECONDS.sleep(100); // paces the writer; nothing is timed on it
          }
        }
        for (int i = 0; i < readers.size(); i++) {
          List<String> lines = lines(readers.get(i));
          List<String> suspended = lines.stream().filter(l -> l.startsWith("SUSPENDED ")).toList();
          System.out.printf(
              "healthy fleet of processes, reader %d, %d s: %s%n", i, SECONDS, suspended);
          assertThat(lines).anyMatch(l -> l.startsWith("DONE applied ") && !l.endsWith(" 0"));
          assertThat(suspended).as("suspensions of reader " + i).isEmpty();
        }
      } finally {
        readers.forEach(Process::destroyForcibly);
      }
    }
  }

  private static List<String> lines(Process process) throws Exception {
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return lines;
  }
}
