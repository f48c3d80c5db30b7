package io.freshcache.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * The bus's three connections, to a standalone Redis or to a Redis Cluster. In a cluster, scripts
 * are routed by their key (every key of a namespace shares one hash slot), the subscription hears
 * every node's publishes, and the log reader talks directly to the node that owns the stream's
 * slot, so that its probes (CLIENT ID, INFO) describe the connection its reads use.
 */
final class BusConnections {

  final AbstractRedisClient client;
  final StatefulConnection<String, String> owner;
  final RedisScriptingAsyncCommands<String, String> scripting;
  final BaseRedisAsyncCommands<String, String> base;
  final StatefulRedisConnection<String, String> node;

  private <
          C extends
              RedisScriptingAsyncCommands<String, String> & BaseRedisAsyncCommands<String, String>>
      BusConnections(
          AbstractRedisClient client,
          StatefulConnection<String, String> owner,
          C commands,
          StatefulRedisConnection<String, String> node) {
    this.client = client;
    this.owner = owner;
    this.scripting = commands;
    this.base = commands;
    this.node = node;
  }

  /** A client for one role; its connections carry the name {@code clientName-role}. */
  static AbstractRedisClient client(
      ClientResources resources,
      RedisURI base,
      SslOptions ssl,
      boolean cluster,
      String name,
      Duration timeout) {
    RedisURI uri = RedisURI.builder(base).withTimeout(timeout).build();
    uri.setClientName(name);
    if (cluster) {
      RedisClusterClient client = RedisClusterClient.create(resources, uri);
      client.setOptions(
          ClusterClientOptions.builder()
              .autoReconnect(true)
              .sslOptions(ssl)
              .requestQueueSize(100_000)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
              .build());
      return client;
    }
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .sslOptions(ssl)
            .requestQueueSize(100_000)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .build());
    return client;
  }

  /** Connects a client made by {@link #client}; {@code key} picks the cluster node to talk to. */
  static BusConnections connect(AbstractRedisClient client, String key) {
    if (client instanceof RedisClusterClient cluster) {
      StatefulRedisClusterConnection<String, String> connection = cluster.connect();
      String nodeId =
          connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key)).getNodeId();
      return new BusConnections(
          client, connection, connection.async(), connection.getConnection(nodeId));
    }
    StatefulRedisConnection<String, String> connection = ((RedisClient) client).connect();
    return new BusConnections(client, connection, connection.async(), connection);
  }

  static StatefulRedisPubSubConnection<String, String> connectPubSub(AbstractRedisClient client) {
    if (client instanceof RedisClusterClient cluster) {
      return cluster.connectPubSub();
    }
    return ((RedisClient) client).connectPubSub();
  }
}
