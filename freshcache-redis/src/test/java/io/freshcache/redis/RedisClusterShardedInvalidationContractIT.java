package io.freshcache.redis;

/**
 * The fleet contract kit, unchanged, over the private Redis Cluster with sharded channels ({@link
 * ChannelDelivery#SHARDED}): a fleet of freshcache instances only.
 */
class RedisClusterShardedInvalidationContractIT extends RedisClusterInvalidationContractIT {

  @Override
  RedisBusBuilder configure(RedisBusBuilder builder) {
    return builder.channelDelivery(ChannelDelivery.SHARDED);
  }
}
