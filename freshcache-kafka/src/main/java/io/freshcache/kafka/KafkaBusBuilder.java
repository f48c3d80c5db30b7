package io.freshcache.kafka;

import io.freshcache.event.Names;
import io.freshcache.spi.InvalidationBus;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Configures a {@link KafkaBus}. Each setting may be given once. Not thread-safe. Hand it to a
 * group, which opens the bus for its own name and closes it with itself:
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop")
 *     .bus(KafkaBus.builder("kafka-1:9092,kafka-2:9092").stalenessBound(Duration.ofMillis(500)))
 *     .build();
 * }</pre>
 *
 * <p>or build one for a namespace to share it deliberately ({@code KafkaBus.builder(servers,
 * "shop")...build()}; its owner closes it, after the groups that use it).
 */
public final class KafkaBusBuilder implements InvalidationBus.Opener {

  private static final String TOPIC_CHARS = "[A-Za-z0-9._-]+";

  private final String bootstrapServers;
  private final String namespace;
  private String topicPrefix = "freshcache.";
  private int partitions = 1;
  private short replicationFactor = -1;
  private Duration stalenessBound = Duration.ofMillis(500);
  private Duration publishTimeout = Duration.ofSeconds(2);
  private Duration connectTimeout = Duration.ofSeconds(10);
  private String clientId = "freshcache-" + UUID.randomUUID().toString().substring(0, 8);
  private boolean prefixSet;
  private boolean partitionsSet;
  private boolean replicationSet;
  private boolean boundSet;
  private boolean publishTimeoutSet;
  private boolean connectTimeoutSet;
  private boolean clientIdSet;
  private boolean failFast;

  /**
   * @param namespace the group, or null for a builder a group opens with its own name
   */
  KafkaBusBuilder(String bootstrapServers, String namespace) {
    this.bootstrapServers = checkedServers(bootstrapServers);
    this.namespace = namespace == null ? null : topicSafe(namespace);
  }

  static String checkedServers(String servers) {
    Objects.requireNonNull(servers, "bootstrapServers must not be null");
    String[] parts = servers.split(",");
    for (String part : parts) {
      String server = part.trim();
      int colon = server.lastIndexOf(':');
      boolean ok = colon > 0 && colon < server.length() - 1 && !server.contains("://");
      if (ok) {
        try {
          int port = Integer.parseInt(server.substring(colon + 1));
          ok = port > 0 && port < 65_536;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "not a list of Kafka bootstrap servers: \""
                + servers
                + "\"; use host:port[,host:port...] of broker listeners, e.g."
                + " kafka-1:9092,kafka-2:9092 (no scheme)");
      }
    }
    return servers.replace(" ", "");
  }

  /** A namespace that can name a topic: the group's name rules, less what Kafka refuses. */
  static String topicSafe(String namespace) {
    String name = Names.requireName(namespace, "namespace");
    if (!name.matches(TOPIC_CHARS)) {
      throw new IllegalArgumentException(
          "namespace '"
              + name
              + "' cannot name a Kafka topic: use letters, digits, '.', '_' and '-' only (no ':')");
    }
    return name;
  }

  /**
   * The prefix of the namespace's topic: the topic is this prefix and the namespace. Default:
   * {@code freshcache.} (the topic of group {@code shop} is {@code freshcache.shop}).
   */
  public KafkaBusBuilder topicPrefix(String prefix) {
    once(prefixSet, "topicPrefix", topicPrefix);
    Objects.requireNonNull(prefix, "topicPrefix must not be null");
    if (prefix.length() > 100 || !prefix.isEmpty() && !prefix.matches(TOPIC_CHARS)) {
      throw new IllegalArgumentException(
          "topicPrefix \""
              + prefix
              + "\" is not valid: use up to 100 letters, digits, '.', '_', '-'");
    }
    topicPrefix = prefix;
    prefixSet = true;
    return this;
  }

  /**
   * The partitions of the topic if the bus creates it (an existing topic keeps its own). One
   * publisher's events all go to one partition, in order; more partitions spread publishers over
   * brokers, and every instance reads all of them. Default: 1.
   */
  public KafkaBusBuilder partitions(int partitions) {
    once(partitionsSet, "partitions", this.partitions);
    if (partitions < 1 || partitions > 1_000) {
      throw new IllegalArgumentException("partitions must be 1 to 1000, was " + partitions);
    }
    this.partitions = partitions;
    partitionsSet = true;
    return this;
  }

  /** The replication factor of the topic if the bus creates it. Default: the broker's. */
  public KafkaBusBuilder replicationFactor(int factor) {
    once(replicationSet, "replicationFactor", replicationFactor);
    if (factor < 1 || factor > Short.MAX_VALUE) {
      throw new IllegalArgumentException("replicationFactor must be at least 1, was " + factor);
    }
    replicationFactor = (short) factor;
    replicationSet = true;
    return this;
  }

  /**
   * δ: the longest an instance keeps serving local hits without the bus confirming it has read
   * everything written to the topic. Heartbeats run at a quarter of it. Default: 500 ms.
   */
  public KafkaBusBuilder stalenessBound(Duration bound) {
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
   * How long a publish may wait for the broker's acknowledgement (all in-sync replicas) before its
   * future fails; the group then sends it again. Default: 2 s.
   */
  public KafkaBusBuilder publishTimeout(Duration timeout) {
    once(publishTimeoutSet, "publishTimeout", publishTimeout);
    publishTimeout = positive(timeout, "publishTimeout");
    publishTimeoutSet = true;
    return this;
  }

  /** How long {@link #build} waits for the broker to answer. Default: 10 s. */
  public KafkaBusBuilder connectTimeout(Duration timeout) {
    once(connectTimeoutSet, "connectTimeout", connectTimeout);
    connectTimeout = positive(timeout, "connectTimeout");
    connectTimeoutSet = true;
    return this;
  }

  /** The client id of the bus's producer and consumer, to find them in the broker's metrics. */
  public KafkaBusBuilder clientId(String id) {
    once(clientIdSet, "clientId", clientId);
    clientId = Names.requireName(id, "clientId");
    clientIdSet = true;
    return this;
  }

  /**
   * Whether a broker that does not answer within {@link #connectTimeout} fails the build. Default:
   * false, the bus starts <em>detached</em> (see {@link KafkaBus}) and attaches once the broker
   * answers.
   */
  public KafkaBusBuilder failFast(boolean failFast) {
    this.failFast = failFast;
    return this;
  }

  /**
   * Connects, makes sure the namespace's topic exists (creating it if not) and starts reading at
   * its end. If the broker does not answer within {@link #connectTimeout}, the bus starts detached
   * (or, with {@link #failFast}, the build fails saying where it tried). A broker that answers with
   * an error (a refused topic, say) fails the build either way. Setters called on this builder
   * afterwards do not change the bus.
   */
  public KafkaBus build() {
    if (namespace == null) {
      throw new IllegalStateException(
          "this bus builder has no namespace: hand it to a group"
              + " (CacheGroup.builder(name).bus(builder)), which opens the bus for its own"
              + " name, or give one with KafkaBus.builder(servers, namespace)");
    }
    return build(namespace);
  }

  /**
   * Builds a bus for {@code namespace}: what a group calls when it is handed this builder.
   *
   * @throws IllegalArgumentException if this builder was made for another namespace, or the
   *     namespace cannot name a topic
   */
  @Override
  public KafkaBus open(String namespace) {
    String checked = topicSafe(namespace);
    if (this.namespace != null && !this.namespace.equals(checked)) {
      throw new IllegalArgumentException(
          "this bus builder is for namespace '"
              + this.namespace
              + "', not '"
              + checked
              + "': make it with KafkaBus.builder(servers) to hand it to a group");
    }
    return build(checked);
  }

  private KafkaBus build(String namespace) {
    return new KafkaBus(
        new KafkaSettings(
            bootstrapServers,
            namespace,
            topicPrefix + namespace,
            partitions,
            replicationFactor,
            stalenessBound,
            publishTimeout,
            connectTimeout,
            clientId,
            failFast));
  }

  private static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
    return value;
  }

  private static void once(boolean set, String setting, Object current) {
    if (set) {
      throw new IllegalStateException(setting + " was already set to " + current);
    }
  }
}
