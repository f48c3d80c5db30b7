package io.freshcache.cli;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The Redis the integration tests use, a plain connection to it, and names of their own. */
public final class RedisCli implements AutoCloseable {

  public static final String URI =
      System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");

  /** The stream prefix of every bus the tests make, so their keys are easy to find and delete. */
  public static final String PREFIX = "fctest";

  private static final AtomicLong NAMES = new AtomicLong();

  private final RedisClient client = RedisClient.create(URI);
  private final StatefulRedisConnection<String, String> connection = client.connect();

  /** A namespace no other test or run uses. */
  public static String uniqueNamespace(String test) {
    return "cli-" + test + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
  }

  /** The group's log, as {@link #PREFIX} buses write it. */
  public static String log(String namespace) {
    return PREFIX + ":{" + namespace + "}:log";
  }

  /** Unlinks every key of the namespace under {@link #PREFIX} (SCAN, never KEYS). */
  public void deleteNamespace(String namespace) {
    List<String> found = new ArrayList<>();
    ScanIterator.scan(
            connection.sync(),
            ScanArgs.Builder.matches(PREFIX + ":{" + namespace + "}:*").limit(500))
        .forEachRemaining(found::add);
    if (!found.isEmpty()) {
      connection.sync().unlink(found.toArray(String[]::new));
    }
  }

  public StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
