package io.freshcache.redis;

import io.freshcache.event.Names;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What the Redis builders and products share: validation, with the same messages everywhere; the
 * client resources a product makes when none are handed to it; and the words for a connection that
 * failed.
 */
final class Settings {

  private Settings() {}

  static RedisURI uri(String uri) {
    Objects.requireNonNull(uri, "uri must not be null");
    try {
      return RedisURI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a Redis URI: \""
              + uri
              + "\"; use redis://[user:password@]host[:port][/db] or rediss:// for TLS",
          e);
    }
  }

  static String name(String value, String what) {
    return Names.requireName(value, what);
  }

  static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
    return value;
  }

  /**
   * Client resources whose reconnections are tried at least once a second: Lettuce's default backs
   * off to 30 s, which would keep an instance away from Redis (its outbox waiting, its local hits
   * suspended) for that long after Redis is back.
   */
  static ClientResources resources() {
    return DefaultClientResources.builder()
        .reconnectDelay(
            Delay.exponential(
                Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * Whether a connection failed because Redis answered and refused us (a wrong password, a missing
   * permission) or TLS refused the connection (a certificate that does not verify): a configuration
   * error, which waiting will not mend, not an outage.
   */
  static boolean refused(Throwable e, RedisURI uri) {
    if (TlsSettings.refusal(e, uri.getHost()).isPresent()) {
      return true;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisCommandExecutionException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * Whether a first connection failed in a way that says nothing about why: the client saw the
   * connection close during its handshake. Lettuce reports that when its handshake's own failure (a
   * wrong password, refused by Redis) loses the race with the connection's closing; one more
   * attempt tells a refusal from an outage.
   */
  static boolean closedDuringHandshake(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof io.lettuce.core.RedisConnectionException
          && String.valueOf(cause.getMessage()).contains("closed prematurely")) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /** host:port of the URI, for messages. */
  static String where(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  /**
   * The build's failure when Redis could not be connected and the product does not start detached
   * ({@code refused}: Redis answered and refused, so starting detached would not help).
   */
  static IllegalStateException connectFailure(
      String what, RedisURI uri, RuntimeException e, boolean refused) {
    return new IllegalStateException(
        "could not connect the "
            + what
            + " to Redis at "
            + where(uri)
            + ": "
            + why(e, uri)
            + (refused ? "" : " (or build it without .failFast(true) to start detached)"),
        e);
  }

  /** The failure and its innermost cause, in one line: what an operator needs to act. */
  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.getMessage() : e.getMessage() + ": " + root;
  }

  /** Why a connection failed, in one line: TLS's refusal in plain words, else the failure's own. */
  static String why(Throwable e, RedisURI uri) {
    return TlsSettings.refusal(e, uri.getHost()).orElseGet(e::getMessage);
  }

  static void once(boolean set, String setting, Object current) {
    if (set) {
      throw new IllegalStateException(setting + " was already set to " + current);
    }
  }
}
