package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Connection settings a production user needs: ACL users, and a clear word when Redis is away. */
class RedisBusConnectionIT {

  @Test
  void anAclUserWithAPasswordInTheUriWorks() {
    String user = "fctest-" + UUID.randomUUID().toString().substring(0, 8);
    String namespace = "acl-" + user;
    RedisClient admin = RedisTestSupport.plainClient(RedisTestSupport.URI);
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      // A user confined to freshcache's keys and channels, with a password.
      connection
          .sync()
          .aclSetuser(
              user,
              io.lettuce.core.AclSetuserArgs.Builder.on()
                  .addPassword("s3cret")
                  .keyPattern("fctest:*")
                  .channelPattern("cache:invalidation:*")
                  .channelPattern("fctest:*") // the bus's heartbeats: <prefix>:{<ns>}:hb:...
                  .allCommands());
      try (RedisBus bus =
              RedisBus.builder("redis://" + user + ":s3cret@127.0.0.1:6379", namespace)
                  .keyPrefix("fctest")
                  .build();
          RedisBus other =
              RedisBus.builder("redis://" + user + ":s3cret@127.0.0.1:6379", namespace)
                  .keyPrefix("fctest")
                  .build();
          CacheGroup a = CacheGroup.builder(namespace).bus(bus).build();
          CacheGroup b = CacheGroup.builder(namespace).bus(other).build()) {
        FreshCache<String, String> cache =
            b.cache("c", String.class, String.class).source(k -> "v").build();
        cache.get("k");
        a.invalidateKeys("k");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.analytics().key("k").isEmpty());
        connection.sync().del(bus.streamKey());
      } finally {
        connection.sync().aclDeluser(user);
      }
    } finally {
      admin.shutdown();
    }
  }

  @Test
  void aWrongPasswordFailsAtBuildSayingWhere() {
    assertThatThrownBy(
            () ->
                RedisBus.builder("redis://nobody:wrong@127.0.0.1:6379", "acl-wrong")
                    // Generous: a handshake that times out under a loaded suite looks like an
                    // outage (the bus would start detached), not like the refusal tested here.
                    .commandTimeout(Duration.ofSeconds(10))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "could not connect the invalidation bus to Redis at 127.0.0.1:6379");
  }

  @Test
  void anUnreachableRedisFailsAtBuildSayingWhereWhenAskedToFailFast() {
    assertThatThrownBy(
            () ->
                RedisBus.builder("redis://127.0.0.1:1", "unreachable")
                    .commandTimeout(Duration.ofSeconds(1))
                    .failFast(true)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not connect the invalidation bus to Redis at 127.0.0.1:1");
  }

  @Test
  void aBusBuiltWhileRedisIsDownStartsDetachedAndAttachesWhenRedisAnswers() throws Exception {
    try (PrivateRedis redis = PrivateRedis.reserved()) {
      Map<String, String> rows = new ConcurrentHashMap<>(Map.of("1", "v1"));
      AtomicInteger loads = new AtomicInteger();
      try (RedisBus bus =
              RedisBus.builder(redis.uri(), "late").commandTimeout(Duration.ofSeconds(1)).build();
          CacheGroup group = CacheGroup.builder("late").bus(bus).instanceId("late-a").build()) {
        FreshCache<String, String> cache =
            group
                .cache("c", String.class, String.class)
                .source(
                    key -> {
                      loads.incrementAndGet();
                      return rows.get(key);
                    })
                .build();
        assertThat(bus.isAttached()).isFalse();
        assertThat(group.stats().live()).isFalse();
        // Detached: reads go to the source, writes and invalidations are kept, nothing fails.
        assertThat(cache.get("1")).isEqualTo("v1");
        assertThat(cache.get("1")).isEqualTo("v1");
        assertThat(loads).hasValue(2);
        cache.invalidate("1");
        assertThat(group.stats().outboxDepth()).isEqualTo(1);

        redis.start();
        await().atMost(Duration.ofSeconds(10)).until(bus::isAttached);
        await().atMost(Duration.ofSeconds(10)).until(() -> group.stats().live());
        assertThat(group.stats().losses()).isEqualTo(1); // what it loaded meanwhile is cleared
        await().atMost(Duration.ofSeconds(10)).until(() -> group.stats().outboxDepth() == 0);
        try (RedisBus other = RedisBus.builder(redis.uri(), "late").build();
            CacheGroup peer = CacheGroup.builder("late").bus(other).instanceId("late-b").build()) {
          cache.get("1");
          int before = loads.get();
          cache.get("1");
          assertThat(loads).hasValue(before); // a local hit again
          rows.put("1", "v2");
          peer.invalidateKeys("1");
          await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(cache.get("1")));
        }
      }
    }
  }

  @Test
  void badSettingsAreRefusedWithWhatToDo() {
    assertThatThrownBy(() -> RedisBus.builder("http://localhost", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use redis://[user:password@]host[:port][/db] or rediss:// for TLS");
    assertThatThrownBy(() -> RedisBus.builder(RedisTestSupport.URI, "bad namespace"))
        .hasMessageContaining("namespace \"bad namespace\" is not valid");
    assertThatThrownBy(
            () -> RedisBus.builder(RedisTestSupport.URI, "x").stalenessBound(Duration.ofMillis(5)))
        .hasMessage("stalenessBound must be at least 20 ms, was PT0.005S");
    assertThatThrownBy(
            () -> RedisBus.builder(RedisTestSupport.URI, "x").keyPrefix("a").keyPrefix("b"))
        .hasMessage("keyPrefix was already set to a");
  }
}
