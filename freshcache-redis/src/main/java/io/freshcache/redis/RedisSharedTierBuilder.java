package io.freshcache.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

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

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  final RedisURI uri;
  final String namespace;
  String keyPrefix = "freshcache";
  Duration commandTimeout = Duration.ofSeconds(2);
  private boolean prefixSet;
  private boolean timeoutSet;

  RedisSharedTierBuilder(String uri, String namespace) {
    Objects.requireNonNull(uri, "uri must not be null");
    try {
      this.uri = RedisURI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a Redis URI: \""
              + uri
              + "\"; use redis://[user:password@]host[:port][/db] or"
              + " rediss:// for TLS",
          e);
    }
    this.namespace = requireName(namespace, "namespace");
  }

  private static String requireName(String value, String what) {
    Objects.requireNonNull(value, what + " must not be null");
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " \"" + value + "\" is not valid: use 1 to 128 letters, digits and . _ : -");
    }
    return value;
  }

  /** The prefix of every Redis key the tier writes. Default: {@code freshcache}. */
  public RedisSharedTierBuilder keyPrefix(String prefix) {
    once(prefixSet, "keyPrefix", keyPrefix);
    keyPrefix = requireName(prefix, "keyPrefix");
    prefixSet = true;
    return this;
  }

  /**
   * How long one Redis command may take before its future completes exceptionally; also the connect
   * timeout. Default: 2 s.
   */
  public RedisSharedTierBuilder commandTimeout(Duration timeout) {
    once(timeoutSet, "commandTimeout", commandTimeout);
    Objects.requireNonNull(timeout, "commandTimeout must not be null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive, was " + timeout);
    }
    commandTimeout = timeout;
    timeoutSet = true;
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

  private static void once(boolean set, String setting, Object current) {
    if (set) {
      throw new IllegalStateException(setting + " was already set to " + current);
    }
  }
}
