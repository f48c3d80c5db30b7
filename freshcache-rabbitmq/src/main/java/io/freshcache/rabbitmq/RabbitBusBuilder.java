package io.freshcache.rabbitmq;

import com.rabbitmq.client.ConnectionFactory;
import io.freshcache.event.Names;
import io.freshcache.spi.InvalidationBus;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Configures a {@link RabbitBus}. Each setting may be given once. Not thread-safe. Hand it to a
 * group, which opens the bus for its own name and closes it with itself:
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop")
 *     .bus(RabbitBus.builder("amqp://guest:guest@127.0.0.1:5672").stalenessBound(Duration.ofMillis(200)))
 *     .build();
 * }</pre>
 *
 * <p>or build one for a namespace to share it deliberately ({@code RabbitBus.builder(uri,
 * "shop")...build()}; its owner closes it, after the groups that use it).
 */
public final class RabbitBusBuilder implements InvalidationBus.Opener {

  private final URI uri;
  private final String where;
  private final String namespace;
  private String exchangePrefix = "freshcache.";
  private Duration stalenessBound = Duration.ofMillis(200);
  private Duration publishTimeout = Duration.ofSeconds(2);
  private int queueMaxLength = 100_000;
  private boolean failFast;
  private String connectionName = "freshcache-" + UUID.randomUUID().toString().substring(0, 8);
  private boolean prefixSet;
  private boolean boundSet;
  private boolean timeoutSet;
  private boolean maxLengthSet;
  private boolean failFastSet;
  private boolean nameSet;

  /**
   * @param namespace the group, or null for a builder a group opens with its own name
   */
  RabbitBusBuilder(String uri, String namespace) {
    this.uri = checkedUri(uri);
    this.where = this.uri.getHost() + ":" + port(this.uri);
    this.namespace = namespace == null ? null : Names.requireName(namespace, "namespace");
  }

  /** Parses the URI as the AMQP client will, so a bad one fails here, saying what is expected. */
  static URI checkedUri(String uri) {
    Objects.requireNonNull(uri, "uri must not be null");
    String expected =
        "; use amqp://[user:password@]host[:port][/vhost] (amqps:// for TLS; the default vhost"
            + " \"/\" is written %2F or left out)";
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not an AMQP URI: \"" + uri + "\"" + expected, e);
    }
    if (!"amqp".equalsIgnoreCase(parsed.getScheme())
            && !"amqps".equalsIgnoreCase(parsed.getScheme())
        || parsed.getHost() == null) {
      throw new IllegalArgumentException("not an AMQP URI: \"" + uri + "\"" + expected);
    }
    try {
      new ConnectionFactory().setUri(parsed);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "not an AMQP URI: \"" + uri + "\" (" + e.getMessage() + ")" + expected, e);
    }
    return parsed;
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "amqps".equalsIgnoreCase(uri.getScheme()) ? 5671 : 5672;
  }

  /**
   * The prefix of the namespace's exchange name: the exchange is this prefix and the namespace.
   * Default: {@code freshcache.} (the exchange of group {@code shop} is {@code freshcache.shop}).
   */
  public RabbitBusBuilder exchangePrefix(String prefix) {
    once(prefixSet, "exchangePrefix", exchangePrefix);
    Objects.requireNonNull(prefix, "exchangePrefix must not be null");
    if (prefix.length() > 100 || !prefix.matches("[A-Za-z0-9._:-]*") || prefix.startsWith("amq.")) {
      throw new IllegalArgumentException(
          "exchangePrefix \""
              + prefix
              + "\" is not valid: use up to 100 letters, digits, '.', '_', ':' or '-', not"
              + " starting with amq. (reserved by RabbitMQ)");
    }
    exchangePrefix = prefix;
    prefixSet = true;
    return this;
  }

  /**
   * δ: the longest an instance keeps serving local hits without the bus confirming it has delivered
   * everything published. Heartbeats run at a quarter of it. Default: 200 ms.
   */
  public RabbitBusBuilder stalenessBound(Duration bound) {
    once(boundSet, "stalenessBound", stalenessBound);
    Objects.requireNonNull(bound, "stalenessBound must not be null");
    if (bound.compareTo(Duration.ofMillis(20)) < 0) {
      throw new IllegalArgumentException("stalenessBound must be at least 20 ms, was " + bound);
    }
    stalenessBound = bound;
    boundSet = true;
    return this;
  }

  /**
   * How long a publish may wait for the broker's confirm before its future fails (the group then
   * sends it again). Default: 2 s.
   */
  public RabbitBusBuilder publishTimeout(Duration timeout) {
    once(timeoutSet, "publishTimeout", publishTimeout);
    Objects.requireNonNull(timeout, "publishTimeout must not be null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("publishTimeout must be positive, was " + timeout);
    }
    publishTimeout = timeout;
    timeoutSet = true;
    return this;
  }

  /**
   * The most events an instance's queue holds unread: past it the broker drops the oldest and the
   * instance clears its caches (a loss) instead of the broker running out of memory for one slow
   * instance. Default: 100,000.
   */
  public RabbitBusBuilder queueMaxLength(int maxLength) {
    once(maxLengthSet, "queueMaxLength", queueMaxLength);
    if (maxLength < 10) {
      throw new IllegalArgumentException("queueMaxLength must be at least 10, was " + maxLength);
    }
    queueMaxLength = maxLength;
    maxLengthSet = true;
    return this;
  }

  /**
   * Whether {@link #build} fails when the broker cannot be reached. Default: false — the bus starts
   * detached, with local hits suspended and invalidations waiting in the group's outbox, and
   * attaches once the broker answers. A broker that refuses the bus (wrong credentials, no access
   * to the vhost) fails the build either way.
   */
  public RabbitBusBuilder failFast(boolean failFast) {
    once(failFastSet, "failFast", this.failFast);
    this.failFast = failFast;
    failFastSet = true;
    return this;
  }

  /** The client-provided name of the bus's connection, to find it among the broker's. */
  public RabbitBusBuilder connectionName(String name) {
    once(nameSet, "connectionName", connectionName);
    connectionName = Names.requireName(name, "connectionName");
    nameSet = true;
    return this;
  }

  /**
   * Connects, declares the namespace's exchange and this instance's queue; if the broker cannot be
   * reached now, starts detached and attaches later (or fails saying where it tried, with {@link
   * #failFast}). Setters called on this builder afterwards do not change the bus.
   */
  public RabbitBus build() {
    if (namespace == null) {
      throw new IllegalStateException(
          "this bus builder has no namespace: hand it to a group"
              + " (CacheGroup.builder(name).bus(builder)), which opens the bus for its own"
              + " name, or give one with RabbitBus.builder(uri, namespace)");
    }
    return build(namespace);
  }

  /**
   * Builds a bus for {@code namespace}: what a group calls when it is handed this builder.
   *
   * @throws IllegalArgumentException if this builder was made for another namespace
   */
  @Override
  public RabbitBus open(String namespace) {
    String checked = Names.requireName(namespace, "namespace");
    if (this.namespace != null && !this.namespace.equals(checked)) {
      throw new IllegalArgumentException(
          "this bus builder is for namespace '"
              + this.namespace
              + "', not '"
              + checked
              + "': make it with RabbitBus.builder(uri) to hand it to a group");
    }
    return build(checked);
  }

  private RabbitBus build(String namespace) {
    return new RabbitBus(
        new RabbitSettings(
            uri,
            where,
            namespace,
            exchangePrefix + namespace,
            stalenessBound,
            publishTimeout,
            queueMaxLength,
            failFast,
            connectionName));
  }

  private static void once(boolean set, String setting, Object current) {
    if (set) {
      throw new IllegalStateException(setting + " was already set to " + current);
    }
  }
}
