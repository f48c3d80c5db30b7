package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The publisher's script travels by its digest: loaded once at attach, then one EVALSHA per event.
 * If Redis forgets it, the event whose EVALSHA it refuses fails (its group sends it again) and the
 * rest of the link publishes the text, so no later event overtakes an earlier one. On a private
 * Redis, so that no other client disturbs the counts.
 */
class BusPublishScriptIT {

  private static final int EVENTS = 50;
  private static final String EVENT = "{\"type\":\"a.b\",\"payload\":{\"type\":\"all\"}}";

  @Test
  void eventsGoByDigestUntilRedisForgetsTheScriptThenAsText() throws Exception {
    try (PrivateRedis redis = new PrivateRedis();
        // Heartbeats are scripts too (EVALSHA): with this δ none runs while the test counts.
        RedisBus bus =
            RedisBus.builder(redis.uri(), "scripts")
                .failFast(true)
                .stalenessBound(Duration.ofMinutes(10))
                .build()) {
      RedisClient client = RedisTestSupport.plainClient(redis.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        RedisCommands<String, String> admin = connection.sync();
        Map<String, Long> before = RedisTestSupport.commandCalls(admin);

        publish(bus, EVENTS);

        Map<String, Long> after = RedisTestSupport.commandCalls(admin);
        assertThat(RedisTestSupport.delta(before, after, "evalsha")).isEqualTo(EVENTS);
        assertThat(RedisTestSupport.delta(before, after, "eval")).isZero();

        admin.scriptFlush();
        assertThatThrownBy(() -> publish(bus, 1))
            .hasRootCauseMessage("NOSCRIPT No matching script. Please use EVAL.");
        Map<String, Long> flushed = RedisTestSupport.commandCalls(admin);
        publish(bus, EVENTS);
        Map<String, Long> again = RedisTestSupport.commandCalls(admin);

        assertThat(RedisTestSupport.delta(flushed, again, "eval")).isEqualTo(EVENTS);
        assertThat(RedisTestSupport.delta(flushed, again, "evalsha")).isZero();
        assertThat(admin.xlen("freshcache:{scripts}:log")).isEqualTo(2L * EVENTS);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aBacklogGoesInOneScriptInOrderAndByDigest() throws Exception {
    try (PrivateRedis redis = new PrivateRedis();
        RedisBus bus = RedisBus.builder(redis.uri(), "scripts").failFast(true).build()) {
      RedisClient client = RedisTestSupport.plainClient(redis.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect();
          io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> listening =
              client.connectPubSub()) {
        RedisCommands<String, String> admin = connection.sync();
        java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Long> numbers = new java.util.concurrent.CopyOnWriteArrayList<>();
        listening.addListener(
            new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
              @Override
              public void message(String pattern, String channel, String message) {
                LogPosition position = LogPosition.of(message); // numbered in the log, in order
                heard.add(channel + " " + (position == null ? message : position.message()));
                if (position != null) {
                  numbers.add(position.seq());
                }
              }
            });
        listening.sync().psubscribe("cache:invalidation:*");
        java.util.List<String> types = new java.util.ArrayList<>();
        java.util.List<String> messages = new java.util.ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
          types.add(i % 2 == 0 ? "a.b" : "c.d");
          messages.add("{\"n\":" + i + "}");
        }
        Map<String, Long> before = RedisTestSupport.commandCalls(admin);

        assertThat(bus.publishInOrder(types, messages).get(10, TimeUnit.SECONDS)).isEqualTo(EVENTS);

        Map<String, Long> after = RedisTestSupport.commandCalls(admin);
        assertThat(RedisTestSupport.delta(before, after, "evalsha")).isOne(); // one round trip
        assertThat(RedisTestSupport.delta(before, after, "eval")).isZero();
        assertThat(admin.xrange("freshcache:{scripts}:log", io.lettuce.core.Range.create("-", "+")))
            .extracting(entry -> entry.getBody().get("m"))
            .containsExactlyElementsOf(messages);
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
          expected.add("cache:invalidation:" + types.get(i) + " " + messages.get(i));
        }
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> heard.size() == EVENTS);
        assertThat(heard).containsExactlyElementsOf(expected);
        assertThat(numbers)
            .containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, EVENTS).boxed().toList());
      } finally {
        client.shutdown();
      }
    }
  }

  private static void publish(RedisBus bus, int events) throws Exception {
    for (int i = 0; i < events; i++) {
      try {
        bus.publish("a.b", EVENT).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }
}
