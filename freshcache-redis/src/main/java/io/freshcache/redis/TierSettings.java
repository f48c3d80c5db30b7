package io.freshcache.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * What a {@link RedisSharedTier} runs with: copied out of its builder by {@link
 * RedisSharedTierBuilder#build}, so a setter called on the builder afterwards changes nothing that
 * runs. The URI is the one the builder parsed; nothing changes it after that (the client is made
 * from a copy of it). {@code clientResources} is null unless the user handed resources in: the tier
 * then makes its own.
 */
record TierSettings(
    RedisURI uri,
    String namespace,
    String keyPrefix,
    Duration commandTimeout,
    boolean cluster,
    boolean failFast,
    SslOptions sslOptions,
    ClientResources clientResources) {}
