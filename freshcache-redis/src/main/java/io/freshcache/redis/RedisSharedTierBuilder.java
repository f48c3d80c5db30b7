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
  boolean failFast;
  private boolean clusterSet;
  private boolean failFastSet;
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
   * Whether {@link #build} fails when Redis cannot be reached. Default: false — the tier starts
   * detached (every call fails at once, so reads go to the source and tier changes wait in the
   * group's outbox) and attaches once Redis answers. A Redis that answers and refuses the tier (a
   * wrong password, a missing permission) fails the build either way.
   */
  public RedisSharedTierBuilder failFast(boolean failFast) {
    Settings.once(failFastSet, "failFast", this.failFast);
    this.failFast = failFast;
    failFastSet = true;
    return this;
  }

  /**
   * Connects (the scripts are sent with their first use). If Redis cannot be reached now, starts
   * detached and attaches later, or with {@link #failFast} fails with an {@link
   * IllegalStateException} naming the host and port; once built, the tier reconnects by itself (see
   * {@link RedisSharedTier}).
   */
  public RedisSharedTier build() {
    return new RedisSharedTier(this);
  }
}
