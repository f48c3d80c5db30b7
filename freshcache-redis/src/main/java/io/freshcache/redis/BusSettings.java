package io.freshcache.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * What a {@link RedisBus} runs with: copied out of its builder by {@link RedisBusBuilder#build}, so
 * a setter called on the builder afterwards changes nothing that runs. The URI is the one the
 * builder parsed; nothing changes it after that (clients are made from copies of it). {@code
 * clientResources} is null unless the user handed resources in: the bus then makes its own.
 */
record BusSettings(
    RedisURI uri,
    String namespace,
    String keyPrefix,
    Duration stalenessBound,
    Duration commandTimeout,
    long streamMaxLength,
    ChannelDelivery channelDelivery,
    boolean cluster,
    boolean failFast,
    String clientName,
    SslOptions sslOptions,
    ClientResources clientResources) {}
