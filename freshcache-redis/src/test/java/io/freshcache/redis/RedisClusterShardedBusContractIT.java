package io.freshcache.redis;

/**
 * The bus kit, unchanged, over the private Redis Cluster with sharded channels ({@link
 * ChannelDelivery#SHARDED}): events, heartbeats and probes travel SPUBLISH/SSUBSCRIBE on the
 * namespace's shard.
 */
class RedisClusterShardedBusContractIT extends RedisClusterBusContractIT {

  @Override
  RedisBusBuilder configure(RedisBusBuilder builder) {
    return builder.channelDelivery(ChannelDelivery.SHARDED);
  }
}
