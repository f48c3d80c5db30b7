package io.freshcache.spring.boot;

import io.freshcache.CacheGroupBuilder;
import io.freshcache.redis.RedisBus;
import io.freshcache.redis.RedisBusBuilder;
import io.freshcache.redis.RedisSharedTier;
import io.freshcache.redis.RedisSharedTierBuilder;

/**
 * The part of the group set-up that needs freshcache-redis; loaded only when Redis is configured.
 */
final class RedisSetup {

  private RedisSetup() {}

  static void configure(CacheGroupBuilder builder, FreshCacheProperties.Redis redis) {
    RedisBusBuilder bus = RedisBus.builder(redis.getUri()).failFast(redis.isFailFast());
    if (redis.getStalenessBound() != null) {
      bus.stalenessBound(redis.getStalenessBound());
    }
    if (redis.getKeyPrefix() != null) {
      bus.keyPrefix(redis.getKeyPrefix());
    }
    if (!redis.isChannelDelivery()) {
      bus.channelDelivery(false);
    }
    builder.bus(bus);
    if (redis.isSharedTier()) {
      RedisSharedTierBuilder tier =
          RedisSharedTier.builder(redis.getUri()).failFast(redis.isFailFast());
      if (redis.getKeyPrefix() != null) {
        tier.keyPrefix(redis.getKeyPrefix());
      }
      builder.shared(tier);
    }
  }

  /** The URI without its password, for messages. */
  static String withoutPassword(String uri) {
    return uri.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@");
  }
}
