package io.freshcache.redis;

/**
 * The bus kit over Redis standalone with channel delivery off: the stream is the only path, so a
 * loss in it is the bus's only way to lose.
 */
class RedisStreamBusContractIT extends RedisBusContractIT {

  @Override
  RedisBusBuilder configure(RedisBusBuilder builder) {
    return builder.channelDelivery(false);
  }
}
