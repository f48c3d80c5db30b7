package io.freshcache.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;

/** What a benchmark left in Redis, deleted after it. */
final class RedisKeys {

  private RedisKeys() {}

  /** Deletes every key matching {@code pattern}, by SCAN, never KEYS: the Redis may be shared. */
  static void deleteMatching(RedisClient client, String pattern) {
    try (var connection = client.connect()) {
      var redis = connection.sync();
      ScanArgs match = ScanArgs.Builder.matches(pattern).limit(1_000);
      KeyScanCursor<String> cursor = redis.scan(match);
      while (true) {
        if (!cursor.getKeys().isEmpty()) {
          redis.unlink(cursor.getKeys().toArray(String[]::new));
        }
        if (cursor.isFinished()) {
          return;
        }
        cursor = redis.scan(cursor, match);
      }
    }
  }

  /** As {@link #deleteMatching(RedisClient, String)}, on a client of its own. */
  static void deleteMatching(String uri, String pattern) {
    RedisClient client = RedisClient.create(uri);
    try {
      deleteMatching(client, pattern);
    } finally {
      client.shutdown();
    }
  }
}
