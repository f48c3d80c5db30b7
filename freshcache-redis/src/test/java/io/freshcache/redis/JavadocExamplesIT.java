package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis builders' javadoc examples, as written there (each with this test's key prefix added),
 * compiled and run against a real Redis.
 */
class JavadocExamplesIT {

  private static final String PREFIX = "fcjavadoc";

  @AfterEach
  void cleanUp() {
    RedisTestSupport.deleteMatching(PREFIX + ":*");
  }

  /** {@code RedisBusBuilder} and {@code RedisSharedTierBuilder}: a group opens both. */
  @Test
  void aGroupOpensItsBusAndTierFromTheirBuilders() {
    CacheGroup shop =
        CacheGroup.builder("shop")
            .bus(
                RedisBus.builder("redis://127.0.0.1:6379")
                    .keyPrefix(PREFIX)
                    .stalenessBound(Duration.ofMillis(200)))
            .shared(
                RedisSharedTier.builder("redis://127.0.0.1:6379")
                    .keyPrefix(PREFIX)
                    .commandTimeout(Duration.ofMillis(500)))
            .build();
    try (shop) {
      FreshCache<String, String> cache =
          shop.cache("c", String.class, String.class).source(key -> "v-" + key).build();
      assertThat(cache.get("k")).isEqualTo("v-k");
    }
  }

  /**
   * {@code RedisBusBuilder}'s TLS example: it compiles as written; run here, it names the missing
   * CA file in one line.
   */
  @Test
  void theTlsExampleSaysWhatIsMissing() {
    assertThatThrownBy(
            () ->
                RedisBus.builder("rediss://redis.internal:6380", "shop")
                    .trustCertificates(Path.of("ca.pem"))
                    .clientCertificate(Path.of("client.pem"), Path.of("client.key"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ca.pem");
  }
}
