package io.freshcache.redis;

import io.freshcache.spi.SharedTier;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link RedisSharedTier}. Each setting may be given once. Not thread-safe.
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop")
 *     .bus(RedisBus.builder("redis://127.0.0.1:6379"))
 *     .shared(RedisSharedTier.builder("redis://127.0.0.1:6379").commandTimeout(Duration.ofMillis(500)))
 *     .build();
 * }</pre>
 *
 * <p><b>TLS</b> is set up as for the bus (see {@link RedisBusBuilder}): {@code rediss://} verifies
 * the server fully by default, {@link #trustCertificates} names the CAs to trust, {@link
 * #clientCertificate} the certificate to present, and {@code ?verifyPeer=NONE} is for development
 * only.
 */
public final class RedisSharedTierBuilder implements SharedTier.Opener {

  private final RedisURI uri;
  private final String namespace;
  private final TlsSettings tls;
  private String keyPrefix = "freshcache";
  private Duration commandTimeout = Duration.ofSeconds(2);
  private boolean cluster;
  private boolean failFast;
  private ClientResources clientResources;
  private boolean clusterSet;
  private boolean failFastSet;
  private boolean prefixSet;
  private boolean timeoutSet;

  /**
   * @param namespace the group, or null for a builder a group opens with its own name
   */
  RedisSharedTierBuilder(String uri, String namespace) {
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
  public RedisSharedTierBuilder trustCertificates(Path caPem) {
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
  public RedisSharedTierBuilder clientCertificate(Path certificatePem, Path keyPem) {
    tls.clientCertificate(certificatePem, keyPem);
    return this;
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
   * wrong password, a missing permission), or whose certificate does not verify, fails the build
   * either way.
   */
  public RedisSharedTierBuilder failFast(boolean failFast) {
    Settings.once(failFastSet, "failFast", this.failFast);
    this.failFast = failFast;
    failFastSet = true;
    return this;
  }

  /**
   * Runs the tier's connections on these Lettuce resources (event loops, timers, reconnect delay)
   * instead of resources of its own: Lettuce recommends one set of resources shared by every client
   * in the JVM. The tier never shuts them down; shut them down yourself once every client using
   * them is closed. Their reconnect delay decides how soon the tier is back after a dropped
   * connection (Lettuce's default backs off to 30 s). Default: resources of the tier's own,
   * reconnecting at least once a second, shut down when it closes.
   */
  public RedisSharedTierBuilder clientResources(ClientResources resources) {
    Settings.once(clientResources != null, "clientResources", clientResources);
    clientResources = Objects.requireNonNull(resources, "clientResources must not be null");
    return this;
  }

  /**
   * Connects and loads the tier's scripts (SCRIPT LOAD, waited for; a script whose load fails is
   * sent in full, as EVAL, on its first use). If Redis cannot be reached now, starts detached and
   * attaches later, or with {@link #failFast} fails with an {@link IllegalStateException} naming
   * the host and port; once built, the tier reconnects by itself (see {@link RedisSharedTier}). The
   * tier keeps the settings given so far: setters called on this builder afterwards do not change
   * it.
   */
  public RedisSharedTier build() {
    if (namespace == null) {
      throw new IllegalStateException(
          "this tier builder has no namespace: hand it to a group"
              + " (CacheGroup.builder(name).shared(builder)), which opens the tier for its own"
              + " name, or give one with RedisSharedTier.builder(uri, namespace)");
    }
    return build(namespace);
  }

  /**
   * Builds a tier for {@code namespace}: what a group calls when it is handed this builder, so that
   * the namespace is the group's name, given once. Each call builds a new tier with the settings
   * given so far.
   *
   * @throws IllegalArgumentException if this builder was made for another namespace
   */
  @Override
  public RedisSharedTier open(String namespace) {
    String checked = Settings.name(namespace, "namespace");
    if (this.namespace != null && !this.namespace.equals(checked)) {
      throw new IllegalArgumentException(
          "this tier builder is for namespace '"
              + this.namespace
              + "', not '"
              + checked
              + "': make it with RedisSharedTier.builder(uri) to hand it to a group");
    }
    return build(checked);
  }

  private RedisSharedTier build(String namespace) {
    return new RedisSharedTier(
        new TierSettings(
            uri,
            namespace,
            keyPrefix,
            commandTimeout,
            cluster,
            failFast,
            tls.sslOptions(),
            clientResources));
  }
}
