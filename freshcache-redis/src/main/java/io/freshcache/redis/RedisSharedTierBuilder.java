package io.freshcache.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;

/**
 * Configures a {@link RedisSharedTier}. Each setting may be given once. Not thread-safe.
 *
 * <pre>{@code
 * RedisSharedTier tier = RedisSharedTier.builder("redis://127.0.0.1:6379", "shop")
 *     .commandTimeout(Duration.ofMillis(500))
 *     .build();
 * }</pre>
 */
public final class RedisSharedTierBuilder {

  final RedisURI uri;
  final String namespace;
  String keyPrefix = "freshcache";
  Duration commandTimeout = Duration.ofSeconds(2);
  boolean cluster;
  private boolean clusterSet;
  private boolean prefixSet;
  private boolean timeoutSet;

  RedisSharedTierBuilder(String uri, String namespace) {
    this.uri = Settings.uri(uri);
    this.namespace = Settings.name(namespace, "namespace");
  }

  /** The prefix of every Redis key the tier writes. Default: {@code freshcache}. */
  public RedisSharedTierBuilder keyPrefix(String prefix) {
    Settings.once(prefixSet, "keyPrefix", keyPrefix);
    keyPrefix = Settings.name(prefix, "keyPrefix");
    prefixSet = true;
    return this;
  }

  /**
   * How long one Redis command may take before its future completes exceptionally; also the connect
   * timeout. Default: 2 s.
   */
  public RedisSharedTierBuilder commandTimeout(Duration timeout) {
    Settings.once(timeoutSet, "commandTimeout", commandTimeout);
    commandTimeout = Settings.positive(timeout, "commandTimeout");
    timeoutSet = true;
    return this;
  }

  /**
   * Whether the URI names a node of a Redis Cluster. The tier then talks to the node that owns its
   * namespace's hash slot (every key it writes carries the namespace as its hash tag). A resharding
   * or failover shows as failed calls, which the cache counts and reads through; it does not follow
   * the slot yet. Default: a standalone Redis.
   */
  public RedisSharedTierBuilder cluster(boolean cluster) {
    Settings.once(clusterSet, "cluster", this.cluster);
    this.cluster = cluster;
    clusterSet = true;
    return this;
  }

  /**
   * Connects and loads the scripts. Fails with an {@link IllegalStateException} naming the host and
   * port if Redis cannot be reached now; once built, the tier reconnects by itself (see {@link
   * RedisSharedTier}).
   */
  public RedisSharedTier build() {
    return new RedisSharedTier(this);
  }
}
