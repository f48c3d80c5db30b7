package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On real Redis: a bus and a shared tier run on Lettuce resources handed to them and leave them
 * running when they close; products that made their own shut them down.
 */
class SharedClientResourcesIT {

  private static final String PREFIX = "fcresources";

  @Test
  void closingOneProductLeavesTheOtherAndTheHandedResourcesRunning() throws Exception {
    String namespace = "shared-" + System.nanoTime();
    ClientResources resources = Settings.resources();
    try {
      RedisSharedTier tier =
          RedisSharedTier.builder(RedisTestSupport.URI, namespace)
              .keyPrefix(PREFIX)
              .clientResources(resources)
              .build();
      try (RedisBus bus =
          RedisBus.builder(RedisTestSupport.URI, namespace)
              .keyPrefix(PREFIX)
              .clientResources(resources)
              .build()) {
        assertThat(bus.resources()).isSameAs(resources);
        assertThat(tier.resources()).isSameAs(resources);
        List<String> heard = new CopyOnWriteArrayList<>();
        bus.subscribe(heard::add);

        tier.close();

        assertThat(resources.eventExecutorGroup().isShuttingDown()).isFalse();
        bus.publish("test.event", "{\"after\":\"tier closed\"}").get(5, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> heard.contains("{\"after\":\"tier closed\"}"));

        try (RedisSharedTier other =
            RedisSharedTier.builder(RedisTestSupport.URI, namespace)
                .keyPrefix(PREFIX)
                .clientResources(resources)
                .build()) {
          bus.close();

          assertThat(resources.eventExecutorGroup().isShuttingDown()).isFalse();
          // A miss takes the lease: the tier's script ran on Redis.
          assertThat(other.lookup("c", "k", Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS).lease())
              .isNotNull();
        }
      }
      assertThat(resources.eventExecutorGroup().isShuttingDown()).isFalse();
    } finally {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      RedisTestSupport.deleteMatching(PREFIX + ":{" + namespace + "}:*");
    }
  }

  @Test
  void productsThatMadeTheirOwnResourcesShutThemDownOnClose() {
    String namespace = "own-" + System.nanoTime();
    ClientResources busResources;
    ClientResources tierResources;
    try (RedisBus bus =
            RedisBus.builder(RedisTestSupport.URI, namespace).keyPrefix(PREFIX).build();
        RedisSharedTier tier =
            RedisSharedTier.builder(RedisTestSupport.URI, namespace).keyPrefix(PREFIX).build()) {
      busResources = bus.resources();
      tierResources = tier.resources();
      assertThat(busResources).isNotSameAs(tierResources);
      assertThat(busResources.eventExecutorGroup().isShuttingDown()).isFalse();
      assertThat(tierResources.eventExecutorGroup().isShuttingDown()).isFalse();
    } finally {
      RedisTestSupport.deleteMatching(PREFIX + ":{" + namespace + "}:*");
    }
    assertThat(busResources.eventExecutorGroup().isShuttingDown()).isTrue();
    assertThat(tierResources.eventExecutorGroup().isShuttingDown()).isTrue();
  }
}
