package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A setter called on a builder after {@code build()} changes nothing in the product it built. Needs
 * no Redis: each product is built against a closed port and starts detached.
 */
class SetterAfterBuildTest {

  /** Nothing listens on port 1: connecting is refused at once, an outage, not a refusal. */
  private static final String NOWHERE = "redis://127.0.0.1:1";

  @Test
  void aBusKeepsTheClientNameItWasBuiltWith() {
    RedisBusBuilder builder = RedisBus.builder(NOWHERE, "after-build");
    try (RedisBus bus = builder.build()) {
      String name = bus.clientName();

      builder.clientName("renamed-after-build");

      assertThat(bus.clientName()).isEqualTo(name);
    }
  }

  @Test
  void aSharedTierKeepsTheKeyPrefixItWasBuiltWith() {
    RedisSharedTierBuilder builder = RedisSharedTier.builder(NOWHERE, "after-build");
    try (RedisSharedTier tier = builder.build()) {
      String described = tier.toString();

      builder.keyPrefix("changed-after-build");

      assertThat(tier.toString()).isEqualTo(described).contains("freshcache:{after-build}");
    }
  }
}
