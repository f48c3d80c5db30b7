package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A clean close says nothing alarming: no Lettuce warning about connections already closed. */
class RedisBusCloseIT {

  @Test
  void closingAGroupItsBusAndItsTierLogsNoWarning() {
    String namespace = "close-" + System.nanoTime();
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      RedisBus bus = RedisBus.builder(RedisTestSupport.URI, namespace).keyPrefix("fctest").build();
      RedisSharedTier tier =
          RedisSharedTier.builder(RedisTestSupport.URI, namespace).keyPrefix("fctest").build();
      CacheGroup group = CacheGroup.builder(namespace).bus(bus).shared(tier).build();
      FreshCache<String, String> cache =
          group.cache("c", String.class, String.class).source(k -> "v").build();
      cache.get("k");
      cache.invalidate("k");
      group.close();
      tier.close();
      bus.close();
    } finally {
      System.err.flush();
      System.setErr(original);
      original.print(captured.toString(StandardCharsets.UTF_8));
      RedisTestSupport.deleteMatching("fctest:{" + namespace + "}:*");
    }
    assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("WARN")))
        .isEmpty();
  }
}
