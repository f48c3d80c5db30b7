package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import java.util.List;

/**
 * The bus kit over Redis standalone with channel delivery off: the stream is the only path, so a
 * loss in it is the bus's only way to lose.
 */
class RedisStreamBusContractIT extends RedisBusContractIT {

  @Override
  RedisBusBuilder configure(RedisBusBuilder builder) {
    return builder.channelDelivery(false);
  }

  /** On the stream alone the promise holds: the reader checks for a gap before it delivers. */
  @Override
  protected boolean induceLoss(InvalidationBus bus) {
    StreamLoss.induce((RedisBus) bus, List.of(RedisTestSupport.URI));
    return true;
  }
}
