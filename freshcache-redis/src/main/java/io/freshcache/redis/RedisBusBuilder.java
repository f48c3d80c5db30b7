package io.freshcache.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Configures a {@link RedisBus}. Each setting may be given once. Not thread-safe.
 *
 * <pre>{@code
 * RedisBus bus = RedisBus.builder("redis://127.0.0.1:6379", "shop")
 *     .stalenessBound(Duration.ofMillis(200))
 *     .build();
 * }</pre>
 */
public final class RedisBusBuilder {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  final RedisURI uri;
  final String namespace;
  String keyPrefix = "freshcache";
  Duration stalenessBound = Duration.ofMillis(200);
  Duration commandTimeout = Duration.ofSeconds(2);
  long streamMaxLength = 100_000;
  boolean channelDelivery = true;
  String clientName = "freshcache-" + UUID.randomUUID().toString().substring(0, 8);
  private boolean prefixSet;
  private boolean boundSet;
  private boolean timeoutSet;
  private boolean maxLengthSet;
  private boolean channelSet;
  private boolean nameSet;

  RedisBusBuilder(String uri, String namespace) {
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

  /** The prefix of every Redis key the bus writes (its stream). Default: {@code freshcache}. */
  public RedisBusBuilder keyPrefix(String prefix) {
    once(prefixSet, "keyPrefix", keyPrefix);
    keyPrefix = requireName(prefix, "keyPrefix");
    prefixSet = true;
    return this;
  }

  /**
   * δ: the longest an instance keeps serving local hits without the bus confirming it has delivered
   * everything published. Heartbeats run at a quarter of it. Default: 200 ms.
   */
  public RedisBusBuilder stalenessBound(Duration bound) {
    once(boundSet, "stalenessBound", stalenessBound);
    Objects.requireNonNull(bound, "stalenessBound must not be null");
    if (bound.compareTo(Duration.ofMillis(20)) < 0) {
      throw new IllegalArgumentException("stalenessBound must be at least 20 ms, was " + bound);
    }
    stalenessBound = bound;
    boundSet = true;
    return this;
  }

  /** How long one Redis command may take before it counts as failed. Default: 2 s. */
  public RedisBusBuilder commandTimeout(Duration timeout) {
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
   * About how many events the stream keeps for instances to replay after a disconnection; an
   * instance that missed more than that clears its caches instead. Default: 100,000.
   */
  public RedisBusBuilder streamMaxLength(long maxLength) {
    once(maxLengthSet, "streamMaxLength", streamMaxLength);
    if (maxLength < 100) {
      throw new IllegalArgumentException("streamMaxLength must be at least 100, was " + maxLength);
    }
    streamMaxLength = maxLength;
    maxLengthSet = true;
    return this;
  }

  /**
   * Whether to receive events on the pub/sub channel as well as the stream. On (the default), the
   * bus hears publishers that know only the brief's format, and must clear local caches when its
   * subscription drops (what was published meanwhile is gone). Off, it hears only freshcache
   * publishers, through the stream, and replays what it missed after a drop.
   */
  public RedisBusBuilder channelDelivery(boolean enabled) {
    once(channelSet, "channelDelivery", channelDelivery);
    channelDelivery = enabled;
    channelSet = true;
    return this;
  }

  /** The CLIENT SETNAME prefix of the bus's connections, to find them in CLIENT LIST. */
  public RedisBusBuilder clientName(String name) {
    once(nameSet, "clientName", clientName);
    clientName = requireName(name, "clientName");
    nameSet = true;
    return this;
  }

  /**
   * Connects and subscribes. Fails if Redis cannot be reached now, saying where it tried; once
   * built, the bus rides out Redis going away (see {@link RedisBus}).
   */
  public RedisBus build() {
    return new RedisBus(this);
  }

  private static void once(boolean set, String setting, Object current) {
    if (set) {
      throw new IllegalStateException(setting + " was already set to " + current);
    }
  }
}
