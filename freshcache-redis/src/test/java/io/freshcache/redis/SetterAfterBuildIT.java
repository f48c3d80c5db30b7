package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * On real Redis: a bus publishes with the settings it was built with, whatever its builder does
 * next.
 */
class SetterAfterBuildIT {

  private static final String PREFIX = "fcsettings";

  @Test
  void aStreamMaxLengthSetAfterBuildDoesNotTrimTheRunningBusesLog() throws Exception {
    String namespace = "after-build-" + System.nanoTime();
    RedisBusBuilder builder = RedisBus.builder(RedisTestSupport.URI, namespace).keyPrefix(PREFIX);
    RedisClient admin = RedisTestSupport.plainClient(RedisTestSupport.URI);
    try (RedisBus bus = builder.build();
        StatefulRedisConnection<String, String> connection = admin.connect()) {
      builder.streamMaxLength(100);

      CompletableFuture<?>[] published = new CompletableFuture<?>[1_000];
      for (int i = 0; i < published.length; i++) {
        published[i] = bus.publish("test.event", "{\"n\":" + i + "}");
      }
      CompletableFuture.allOf(published).get();

      // Built with the default (about 100,000 kept), the log holds every event.
      assertThat(connection.sync().xlen(bus.streamKey())).isEqualTo(1_000);
    } finally {
      admin.shutdown();
      RedisTestSupport.deleteMatching(PREFIX + ":{" + namespace + "}:*");
    }
  }
}
