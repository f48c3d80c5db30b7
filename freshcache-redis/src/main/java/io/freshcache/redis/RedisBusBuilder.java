package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Configures a {@link RedisBus}. Each setting may be given once. Not thread-safe. Hand it to a
 * group, which opens the bus for its own name and closes it with itself:
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop")
 *     .bus(RedisBus.builder("redis://127.0.0.1:6379").stalenessBound(Duration.ofMillis(200)))
 *     .build();
 * }</pre>
 *
 * <p>or build one for a namespace to share it deliberately ({@code RedisBus.builder(uri,
 * "shop")...build()}; its owner closes it, after the groups that use it).
 *
 * <p><b>TLS.</b> A {@code rediss://} URI verifies the server fully by default: its certificate must
 * be signed by a CA the JVM trusts, or one given with {@link #trustCertificates}, and name the
 * URI's host. {@link #clientCertificate} adds a client certificate for servers that require one
 * (mutual TLS). {@code ?verifyPeer=NONE} in the URI turns verification off: for development only.
 *
 * <pre>{@code
 * RedisBus bus = RedisBus.builder("rediss://redis.internal:6380", "shop")
 *     .trustCertificates(Path.of("ca.pem"))
 *     .clientCertificate(Path.of("client.pem"), Path.of("client.key"))
 *     .build();
 * }</pre>
 */
public final class RedisBusBuilder implements InvalidationBus.Opener {

  private final RedisURI uri;
  private final String namespace;
  private final TlsSettings tls;
  private String keyPrefix = "freshcache";
  private Duration stalenessBound = Duration.ofMillis(200);
  private Duration commandTimeout = Duration.ofSeconds(2);
  private long streamMaxLength = 100_000;
  private ChannelDelivery channelDelivery = ChannelDelivery.PATTERN;
  private boolean cluster;
  private boolean failFast;
  private boolean clusterSet;
  private boolean failFastSet;
  private String clientName = "freshcache-" + UUID.randomUUID().toString().substring(0, 8);
  private ClientResources clientResources;
  private boolean prefixSet;
  private boolean boundSet;
  private boolean timeoutSet;
  private boolean maxLengthSet;
  private boolean channelSet;
  private boolean nameSet;

  /**
   * @param namespace the group, or null for a builder a group opens with its own name
   */
  RedisBusBuilder(String uri, String namespace) {
    this.uri = Settings.uri(uri);
    this.namespace = namespace == null ? null : Settings.name(namespace, "namespace");
    this.tls = new TlsSettings(this.uri);
  }

  /**
   * Verifies the server's certificate against the CAs in {@code caPem} (a PEM file of one or more
   * certificates) instead of the CAs the JVM trusts. Needs a {@code rediss://} URI; verification is
   * full unless the URI says otherwise: the certificate must be signed by one of these CAs and name
   * the URI's host (a SAN entry: DNS name or IP address). A server that fails either check fails
   * {@link #build}, with or without {@link #failFast}.
   *
   * @throws IllegalArgumentException if the URI is {@code redis://} or turns verification off
   *     ({@code verifyPeer=NONE}), or the file is missing, unreadable or holds no PEM certificate
   */
  public RedisBusBuilder trustCertificates(Path caPem) {
    tls.trustCertificates(caPem);
    return this;
  }

  /**
   * Presents this certificate to the server (mutual TLS, {@code tls-auth-clients yes}): {@code
   * certificatePem} is the client's certificate (PEM, then any intermediates), {@code keyPem} its
   * unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY}). Needs a {@code rediss://} URI.
   *
   * @throws IllegalArgumentException if the URI is {@code redis://}, or a file is missing,
   *     unreadable, not PEM, or the key does not load
   */
  public RedisBusBuilder clientCertificate(Path certificatePem, Path keyPem) {
    tls.clientCertificate(certificatePem, keyPem);
    return this;
  }

  /** The prefix of every Redis key the bus writes (its stream). Default: {@code freshcache}. */
  public RedisBusBuilder keyPrefix(String prefix) {
    Settings.once(prefixSet, "keyPrefix", keyPrefix);
    keyPrefix = Settings.name(prefix, "keyPrefix");
    prefixSet = true;
    return this;
  }

  /**
   * δ: the longest an instance keeps serving local hits without the bus confirming it has delivered
   * everything published. Heartbeats run at a quarter of it. Default: 200 ms.
   */
  public RedisBusBuilder stalenessBound(Duration bound) {
    Settings.once(boundSet, "stalenessBound", stalenessBound);
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
    Settings.once(timeoutSet, "commandTimeout", commandTimeout);
    commandTimeout = Settings.positive(timeout, "commandTimeout");
    timeoutSet = true;
    return this;
  }

  /**
   * About how many events the stream keeps for instances to replay after a disconnection; an
   * instance that missed more than that clears its caches instead. Default: 100,000.
   */
  public RedisBusBuilder streamMaxLength(long maxLength) {
    Settings.once(maxLengthSet, "streamMaxLength", streamMaxLength);
    if (maxLength < 100) {
      throw new IllegalArgumentException("streamMaxLength must be at least 100, was " + maxLength);
    }
    streamMaxLength = maxLength;
    maxLengthSet = true;
    return this;
  }

  /**
   * Whether to receive events on the pub/sub channel as well as the stream: {@code true} is {@link
   * ChannelDelivery#PATTERN} (the default), {@code false} is {@link ChannelDelivery#OFF}. On, the
   * bus hears publishers that know only the plain JSON format, and must clear local caches when its
   * subscription drops (what was published meanwhile is gone). Off, it hears only freshcache
   * publishers, through the stream, and replays what it missed after a drop.
   */
  public RedisBusBuilder channelDelivery(boolean enabled) {
    return channelDelivery(enabled ? ChannelDelivery.PATTERN : ChannelDelivery.OFF);
  }

  /**
   * How the bus hears events on pub/sub besides its stream (see {@link ChannelDelivery}): the
   * classic pattern subscription (the default), {@link ChannelDelivery#SHARDED sharded} channels on
   * a Redis Cluster (events reach only the nodes of the namespace's shard; plain {@code PUBLISH}
   * from other publishers is not heard), or none.
   *
   * <pre>{@code
   * RedisBus.builder("redis://10.0.0.1:7000").cluster(true).channelDelivery(ChannelDelivery.SHARDED)
   * }</pre>
   *
   * @throws IllegalArgumentException at {@link #build} if {@code SHARDED} is chosen without {@link
   *     #cluster cluster(true)}
   */
  public RedisBusBuilder channelDelivery(ChannelDelivery delivery) {
    Settings.once(channelSet, "channelDelivery", channelDelivery);
    channelDelivery = Objects.requireNonNull(delivery, "channelDelivery must not be null");
    channelSet = true;
    return this;
  }

  /**
   * Whether the URI names a node of a Redis Cluster (the bus discovers the others). Every key the
   * bus writes carries the namespace as its hash tag, so its scripts touch one slot. Default: a
   * standalone Redis.
   */
  public RedisBusBuilder cluster(boolean cluster) {
    Settings.once(clusterSet, "cluster", this.cluster);
    this.cluster = cluster;
    clusterSet = true;
    return this;
  }

  /**
   * Whether {@link #build} fails when Redis cannot be reached (the service then cannot start while
   * Redis is down). Default: false — the bus starts detached, with local hits suspended and
   * invalidations waiting in the group's outbox, and attaches once Redis answers. A Redis that
   * answers and refuses the bus (a wrong password, a missing permission), or whose certificate does
   * not verify, fails the build either way.
   */
  public RedisBusBuilder failFast(boolean failFast) {
    Settings.once(failFastSet, "failFast", this.failFast);
    this.failFast = failFast;
    failFastSet = true;
    return this;
  }

  /** The CLIENT SETNAME prefix of the bus's connections, to find them in CLIENT LIST. */
  public RedisBusBuilder clientName(String name) {
    Settings.once(nameSet, "clientName", clientName);
    clientName = Settings.name(name, "clientName");
    nameSet = true;
    return this;
  }

  /**
   * Runs the bus's connections on these Lettuce resources (event loops, timers, reconnect delay)
   * instead of resources of its own: Lettuce recommends one set of resources shared by every client
   * in the JVM. The bus never shuts them down; shut them down yourself once every client using them
   * is closed. Their reconnect delay decides how soon the bus is back after a dropped connection
   * (Lettuce's default backs off to 30 s). Default: resources of the bus's own, reconnecting at
   * least once a second, shut down when it closes.
   */
  public RedisBusBuilder clientResources(ClientResources resources) {
    Settings.once(clientResources != null, "clientResources", clientResources);
    clientResources = Objects.requireNonNull(resources, "clientResources must not be null");
    return this;
  }

  /**
   * Connects and subscribes; if Redis cannot be reached now, starts detached and attaches later (or
   * fails saying where it tried, with {@link #failFast}). Fails if Redis refuses the bus. Once
   * built, the bus rides out Redis going away (see {@link RedisBus}). The bus keeps the settings
   * given so far: setters called on this builder afterwards do not change it.
   */
  public RedisBus build() {
    if (namespace == null) {
      throw new IllegalStateException(
          "this bus builder has no namespace: hand it to a group"
              + " (CacheGroup.builder(name).bus(builder)), which opens the bus for its own"
              + " name, or give one with RedisBus.builder(uri, namespace)");
    }
    return build(namespace);
  }

  /**
   * Builds a bus for {@code namespace}: what a group calls when it is handed this builder, so that
   * the namespace is the group's name, given once. Each call builds a new bus with the settings
   * given so far.
   *
   * @throws IllegalArgumentException if this builder was made for another namespace
   */
  @Override
  public RedisBus open(String namespace) {
    String checked = Settings.name(namespace, "namespace");
    if (this.namespace != null && !this.namespace.equals(checked)) {
      throw new IllegalArgumentException(
          "this bus builder is for namespace '"
              + this.namespace
              + "', not '"
              + checked
              + "': make it with RedisBus.builder(uri) to hand it to a group");
    }
    return build(checked);
  }

  private RedisBus build(String namespace) {
    if (channelDelivery == ChannelDelivery.SHARDED && !cluster) {
      throw new IllegalArgumentException(
          "channelDelivery(SHARDED) needs a Redis Cluster: add .cluster(true), or keep the default"
              + " PATTERN on a single Redis (its channels are all on the one node anyway)");
    }
    return new RedisBus(
        new BusSettings(
            uri,
            namespace,
            keyPrefix,
            stalenessBound,
            commandTimeout,
            streamMaxLength,
            channelDelivery,
            cluster,
            failFast,
            clientName,
            tls.sslOptions(),
            clientResources));
  }
}
