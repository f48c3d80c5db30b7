package io.freshcache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Where the integration tests find Redis, and how they find and kill the bus's connections. */
final class RedisTestSupport {

  static final String URI = System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379");

  private RedisTestSupport() {}

  /** A plain client, standing for a publisher that knows nothing of freshcache. */
  static RedisClient plainClient(String uri) {
    return RedisClient.create(uri);
  }

  /** Ids of the connections whose CLIENT SETNAME is exactly {@code name}. */
  static List<String> clientIds(StatefulRedisConnection<String, String> admin, String name) {
    List<String> ids = new ArrayList<>();
    for (String line : admin.sync().clientList().split("\n")) {
      String id = null;
      String clientName = null;
      for (String field : line.trim().split(" ")) {
        if (field.startsWith("id=")) {
          id = field.substring(3);
        } else if (field.startsWith("name=")) {
          clientName = field.substring(5);
        }
      }
      if (id != null && name.equals(clientName)) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** Unlinks every key matching {@code pattern} (SCAN, never KEYS): a test's cleanup. */
  static void deleteMatching(String pattern) {
    RedisClient client = plainClient(URI);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      List<String> found = new ArrayList<>();
      io.lettuce.core.ScanIterator.scan(
              admin.sync(), io.lettuce.core.ScanArgs.Builder.matches(pattern).limit(500))
          .forEachRemaining(found::add);
      if (!found.isEmpty()) {
        admin.sync().unlink(found.toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
  }

  /** Kills the connections named {@code name}; returns how many. */
  static int kill(StatefulRedisConnection<String, String> admin, String name) {
    int killed = 0;
    for (String id : clientIds(admin, name)) {
      killed +=
          (int)
              admin
                  .sync()
                  .clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)))
                  .longValue();
    }
    return killed;
  }

  /** calls= of each command in INFO commandstats (e.g. "evalsha", "xinfo|stream"). */
  static Map<String, Long> commandCalls(RedisCommands<String, String> admin) {
    Map<String, Long> calls = new HashMap<>();
    for (String line : admin.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring(8, line.indexOf(':'));
        int from = line.indexOf("calls=") + 6;
        calls.put(name, Long.parseLong(line.substring(from, line.indexOf(',', from))));
      }
    }
    return calls;
  }

  /** How many more calls of {@code command} {@code after} counts than {@code before}. */
  static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
    return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
  }
}
