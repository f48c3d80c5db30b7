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
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A connection to a standalone Redis or to a Redis Cluster, made the same way for the bus and the
 * shared tier, and the clients that make them. To a cluster, {@link #scripting} and {@link #base}
 * route each command by its key, and {@link #node} talks directly to the node that owns the hash
 * slot of the key the connection was made for (every key of a namespace shares that slot): for
 * commands that must run on that node (CLIENT ID and INFO describe the connection they run on, SCAN
 * walks the keys of the node it runs on). To a standalone Redis, all three are the one connection.
 *
 * @param <V> the type of values, by the codec the connection was made with (keys are strings)
 */
final class Connections<V> {

  /** What to close: the cluster connection, with its node connections, or the standalone one. */
  final StatefulConnection<String, V> owner;

  final RedisScriptingAsyncCommands<String, V> scripting;
  final BaseRedisAsyncCommands<String, V> base;
  final StatefulRedisConnection<String, V> node;

  private <C extends RedisScriptingAsyncCommands<String, V> & BaseRedisAsyncCommands<String, V>>
      Connections(
          StatefulConnection<String, V> owner,
          C commands,
          StatefulRedisConnection<String, V> node) {
    this.owner = owner;
    this.scripting = commands;
    this.base = commands;
    this.node = node;
  }

  /**
   * A client of {@code base} (a {@link RedisClusterClient} if {@code cluster}) on {@code
   * resources}, which it does not shut down. Its connections carry the name {@code name} and time
   * out after {@code timeout}; they reconnect by themselves and speak TLS with {@code ssl} if the
   * URI says {@code rediss://}. {@code options} adds what differs between products (queueing while
   * disconnected, timeouts).
   */
  static AbstractRedisClient client(
      ClientResources resources,
      RedisURI base,
      SslOptions ssl,
      boolean cluster,
      String name,
      Duration timeout,
      Consumer<ClientOptions.Builder> options) {
    RedisURI uri = RedisURI.builder(base).withTimeout(timeout).build();
    uri.setClientName(name);
    ClientOptions.Builder builder =
        cluster ? ClusterClientOptions.builder() : ClientOptions.builder();
    builder.autoReconnect(true).sslOptions(ssl);
    options.accept(builder);
    if (cluster) {
      RedisClusterClient client = RedisClusterClient.create(resources, uri);
      client.setOptions((ClusterClientOptions) builder.build());
      return client;
    }
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(builder.build());
    return client;
  }

  /**
   * Connects a client made by {@link #client}; in a cluster, {@code key} picks the node that {@link
   * #node} talks to. Closes what it opened if it fails.
   */
  static <V> Connections<V> connect(
      AbstractRedisClient client, RedisCodec<String, V> codec, String key) {
    if (client instanceof RedisClusterClient cluster) {
      StatefulRedisClusterConnection<String, V> connection = cluster.connect(codec);
      try {
        String nodeId =
            connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key)).getNodeId();
        return new Connections<>(connection, connection.async(), connection.getConnection(nodeId));
      } catch (RuntimeException e) {
        connection.close();
        throw e;
      }
    }
    StatefulRedisConnection<String, V> connection = ((RedisClient) client).connect(codec);
    return new Connections<>(connection, connection.async(), connection);
  }

  /** A subscription of a client made by {@link #client}; in a cluster it hears every node. */
  static StatefulRedisPubSubConnection<String, String> connectPubSub(AbstractRedisClient client) {
    if (client instanceof RedisClusterClient cluster) {
      return cluster.connectPubSub();
    }
    return ((RedisClient) client).connectPubSub();
  }
}
