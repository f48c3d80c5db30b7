package io.freshcache.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.TreeMap;

/**
 * The harness's control connection: Redis's own counters ({@code INFO commandstats}, {@code INFO
 * cpu}) before and after a measurement, so the report says how many commands of each kind an event
 * cost and how much of Redis's CPU, and the clean-up of the harness's keys. Its own {@code INFO}
 * calls show up in the counts (two per snapshot); on a Redis that other clients use at the same
 * time, their commands do too.
 */
final class RedisCounters implements AutoCloseable {

  /** Calls per command name ({@code publish}, {@code client|id}, ...) and Redis's CPU seconds. */
  record Snapshot(Map<String, Long> calls, double cpuSeconds) {

    /** What happened between {@code before} and this snapshot. */
    Snapshot minus(Snapshot before) {
      Map<String, Long> delta = new TreeMap<>();
      calls.forEach(
          (command, n) -> {
            long d = n - before.calls.getOrDefault(command, 0L);
            if (d != 0) {
              delta.put(command, d);
            }
          });
      return new Snapshot(delta, cpuSeconds - before.cpuSeconds);
    }
  }

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;

  RedisCounters(String uri) {
    client = RedisClient.create(uri);
    connection = client.connect();
    redis = connection.sync();
  }

  Snapshot snapshot() {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : redis.info("commandstats").split("\r?\n")) {
      // cmdstat_client|id:calls=12,usec=34,usec_per_call=2.83,...
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      int start = line.indexOf("calls=", colon) + "calls=".length();
      int end = line.indexOf(',', start);
      calls.put(line.substring("cmdstat_".length(), colon), Long.parseLong(line, start, end, 10));
    }
    double cpu = 0;
    for (String line : redis.info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return new Snapshot(calls, cpu);
  }

  /** A field of {@code INFO server}, e.g. {@code redis_version}. */
  String serverInfo(String field) {
    for (String line : redis.info("server").split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return "?";
  }

  long delete(String... keys) {
    return redis.del(keys);
  }

  /** Keys matching {@code pattern}, counted with SCAN (never KEYS). */
  long countKeys(String pattern) {
    long n = 0;
    ScanIterator<String> keys = ScanIterator.scan(redis, ScanArgs.Builder.matches(pattern));
    while (keys.hasNext()) {
      keys.next();
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
