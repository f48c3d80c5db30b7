package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's "A fleet on Redis": the namespace given once, to the group, which opens its bus and
 * tier from their builders and closes them with itself.
 */
class FleetExampleIT {

  private static final String PREFIX = "fcfleetexample";

  private final Map<Long, String> database = new ConcurrentHashMap<>(Map.of(42L, "v1"));

  @AfterEach
  void cleanUp() {
    RedisTestSupport.deleteMatching(PREFIX + ":*");
  }

  private CacheGroup instance(String clientName) {
    // As in the README, with this test's own key prefix and client name.
    return CacheGroup.builder("shop")
        .bus(
            RedisBus.builder(RedisTestSupport.URI)
                .keyPrefix(PREFIX)
                .clientName(clientName)
                .stalenessBound(Duration.ofMillis(200)))
        .shared(RedisSharedTier.builder(RedisTestSupport.URI).keyPrefix(PREFIX))
        .build();
  }

  @Test
  void aGroupHandedBuildersOpensItsBusAndTierForItsNameAndClosesThem() throws Exception {
    CacheGroup a = instance(PREFIX + "-a");
    CacheGroup b = instance(PREFIX + "-b");
    FreshCache<Long, String> onA =
        a.cache("products", Long.class, String.class).source(database::get).build();
    FreshCache<Long, String> onB =
        b.cache("products", Long.class, String.class).source(database::get).build();
    assertThat(onA.get(42L)).isEqualTo("v1");
    assertThat(onB.get(42L)).isEqualTo("v1");

    database.put(42L, "v2");
    onA.invalidate(42L);

    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> onB.getIfPresent(42L) == null);
    assertThat(onB.get(42L)).isEqualTo("v2");

    RedisClient client = RedisTestSupport.plainClient(RedisTestSupport.URI);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      assertThat(RedisTestSupport.clientIds(admin, PREFIX + "-a-pub")).isNotEmpty();
      a.close();
      // What the group opened, it closed: a's bus connections are gone, b's are still there.
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> RedisTestSupport.clientIds(admin, PREFIX + "-a-pub").isEmpty());
      assertThat(RedisTestSupport.clientIds(admin, PREFIX + "-b-pub")).isNotEmpty();
      b.close();
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> RedisTestSupport.clientIds(admin, PREFIX + "-b-pub").isEmpty());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aBuilderForAnotherNamespaceIsRefusedWhenTheGroupOpensIt() {
    assertThatThrownBy(
            () ->
                CacheGroup.builder("shop")
                    .bus(RedisBus.builder(RedisTestSupport.URI, "shop-eu").keyPrefix(PREFIX))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "this bus builder is for namespace 'shop-eu', not 'shop': make it with"
                + " RedisBus.builder(uri) to hand it to a group");
  }

  @Test
  void aBuilderWithoutANamespaceSaysHowToUseIt() {
    assertThatThrownBy(() -> RedisBus.builder(RedisTestSupport.URI).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("this bus builder has no namespace: hand it to a group");
  }
}
