package io.freshcache.cli.simulate;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.cli.RedisAddress;
import io.freshcache.redis.RedisBus;
import io.freshcache.redis.RedisSharedTier;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * The domain workload's instances over Redis: each instance's group opens a {@link RedisBus} and a
 * {@link RedisSharedTier} of its own (its own connections, as separate processes would), in the
 * run's namespace, under the key prefix {@link RedisTransport#KEY_PREFIX}. After a run, every key
 * of its namespace is deleted (SCAN, then UNLINK).
 *
 * <p>Connects once when built, to fail before anything runs if Redis cannot be reached.
 */
final class RedisFleet implements DomainReplay.Fleet, AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final RedisAddress address;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  /**
   * @throws RuntimeException if Redis cannot be reached: {@link RedisAddress#unreachable} says why
   */
  RedisFleet(RedisAddress address) {
    this.address = address;
    this.client =
        RedisClient.create(RedisURI.builder(address.parsed()).withTimeout(TIMEOUT).build());
    try {
      this.connection = client.connect();
      connection.sync().ping();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, TIMEOUT);
      throw e;
    }
  }

  /** Where Redis is, {@code host:port}. */
  String where() {
    return address.hostAndPort();
  }

  @Override
  public CacheGroupBuilder group(String namespace, int index) {
    return CacheGroup.builder(namespace)
        .bus(
            RedisBus.builder(address.uri())
                .keyPrefix(RedisTransport.KEY_PREFIX)
                .clientName(RedisTransport.KEY_PREFIX + "-" + namespace + "-" + (index + 1))
                .failFast(true))
        .shared(
            RedisSharedTier.builder(address.uri())
                .keyPrefix(RedisTransport.KEY_PREFIX)
                .failFast(true));
  }

  /** Deletes every key of {@code namespace}. */
  @Override
  public void cleanUp(String namespace) {
    RedisCommands<String, String> sync = connection.sync();
    ScanArgs match =
        ScanArgs.Builder.matches(RedisTransport.KEY_PREFIX + ":{" + namespace + "}:*").limit(500);
    KeyScanCursor<String> cursor = sync.scan(match);
    while (true) {
      if (!cursor.getKeys().isEmpty()) {
        sync.unlink(cursor.getKeys().toArray(String[]::new));
      }
      if (cursor.isFinished()) {
        break;
      }
      cursor = sync.scan(ScanCursor.of(cursor.getCursor()), match);
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, TIMEOUT);
  }
}
