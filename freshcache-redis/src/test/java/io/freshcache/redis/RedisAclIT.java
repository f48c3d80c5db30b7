package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedTier;
import io.freshcache.test.InvalidationContractKit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The fleet contract kit, unchanged, with the shared tier, on a private Redis, every bus and tier
 * connecting as a user that has exactly the application rule of {@code docs/redis-acl.md} for the
 * kit's namespace: least privilege is enough for the whole contract, and Redis refuses nothing (not
 * even a command whose refusal the library would ignore: {@code ACL LOG} stays empty).
 */
class RedisAclIT extends InvalidationContractKit {

  private static PrivateRedis redis;
  private static RedisClient adminClient;
  private static StatefulRedisConnection<String, String> admin;

  @BeforeAll
  static void startRedis() throws IOException {
    redis = new PrivateRedis();
    adminClient = RedisClient.create(redis.uri());
    admin = adminClient.connect();
  }

  @AfterAll
  static void stopRedis() throws InterruptedException {
    admin.close();
    adminClient.shutdown();
    redis.close();
  }

  /** One user per namespace, as an operator would make it; setting it again changes nothing. */
  private String user(String namespace) {
    String user = "app-" + namespace;
    AclRules.setUser(admin, user, AclRules.rules(AclRules.Role.APPLICATION, "fctest", namespace));
    return user;
  }

  @Override
  protected InvalidationBus connect(String namespace) {
    return RedisBus.builder(AclRules.uri(redis, user(namespace)), namespace)
        .keyPrefix("fctest")
        .build();
  }

  @Override
  protected SharedTier sharedTier(String namespace) {
    return RedisSharedTier.builder(AclRules.uri(redis, user(namespace)), namespace)
        .keyPrefix("fctest")
        .build();
  }

  @AfterEach
  void redisRefusedNothing() {
    assertThat(AclRules.refusals(admin)).isEmpty();
    admin.sync().aclLogReset();
  }
}
