package io.freshcache.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A connection to a standalone Redis or to a Redis Cluster, made the same way for the bus and the
 * shared tier, and the clients that make them. To a cluster, {@link #scripting} and {@link #base}
 * route each command by its key (following the cluster's redirections when a slot moves), and
 * {@link #node} talks directly to the node that owns the hash slot of the key the connection was
 * made for (every key of a namespace shares that slot): for commands that must run on that node
 * (CLIENT ID and INFO describe the connection they run on). That node changes when the slot fails
 * over to a replica or is moved to another master; {@link #follow} finds the new owner. To a
 * standalone Redis, all three are the one connection and it never changes.
 *
 * @param <V> the type of values, by the codec the connection was made with (keys are strings)
 */
final class Connections<V> {

  /** What to close: the cluster connection, with its node connections, or the standalone one. */
  final StatefulConnection<String, V> owner;

  final RedisClusterAsyncCommands<String, V> scripting;
  final BaseRedisAsyncCommands<String, V> base;

  private final StatefulRedisClusterConnection<String, V> cluster;
  private final RedisClusterClient clusterClient;
  private final int slot;
  private volatile StatefulRedisConnection<String, V> node;
  private volatile String nodeId;

  private Connections(
      StatefulConnection<String, V> owner,
      RedisClusterAsyncCommands<String, V> commands,
      StatefulRedisConnection<String, V> node,
      StatefulRedisClusterConnection<String, V> cluster,
      RedisClusterClient clusterClient,
      int slot,
      String nodeId) {
    this.owner = owner;
    this.scripting = commands;
    this.base = commands;
    this.node = node;
    this.cluster = cluster;
    this.clusterClient = clusterClient;
    this.slot = slot;
    this.nodeId = nodeId;
  }

  /** The connection to the node that owned the key's slot when last looked up. */
  StatefulRedisConnection<String, V> node() {
    return node;
  }

  /**
   * Looks the key's slot owner up again and returns the connection to it: the same one unless the
   * slot moved. With {@code refresh} the cluster's topology is read first (one round trip to each
   * node); without it the client's last view is used (it refreshes that view by itself when a
   * command is redirected, and periodically). What changed is in the answer.
   */
  Owner<V> follow(boolean refresh) {
    if (cluster == null) {
      return new Owner<>(node, null, null, true);
    }
    if (refresh) {
      clusterClient.refreshPartitions();
    }
    Partitions partitions = cluster.getPartitions();
    RedisClusterNode owner = partitions.getPartitionBySlot(slot);
    String previous = nodeId;
    if (owner == null || owner.getNodeId().equals(previous)) {
      return new Owner<>(node, previous, previous, true);
    }
    boolean handedOver = handedOver(previous, owner.getNodeId());
    StatefulRedisConnection<String, V> moved = cluster.getConnection(owner.getNodeId());
    node = moved;
    nodeId = owner.getNodeId();
    return new Owner<>(moved, previous, nodeId, handedOver);
  }

  /**
   * Whether the slot's previous owner, asked itself, is still a master and names {@code now} as the
   * slot's owner: it handed the slot over (a resharding moves the keys first, whole). Anything else
   * — it is a replica now, cannot be reached, or still believes the slot is its own (cut off from
   * the cluster while its replica was promoted) — is a failover.
   */
  private boolean handedOver(String previous, String now) {
    try {
      Partitions seen =
          ClusterPartitionParser.parse(cluster.getConnection(previous).sync().clusterNodes());
      RedisClusterNode myself = null;
      for (RedisClusterNode candidate : seen) {
        if (candidate.is(RedisClusterNode.NodeFlag.MYSELF)) {
          myself = candidate;
        }
      }
      RedisClusterNode owner = seen.getPartitionBySlot(slot);
      return myself != null
          && (myself.is(RedisClusterNode.NodeFlag.UPSTREAM)
              || myself.is(RedisClusterNode.NodeFlag.MASTER))
          && owner != null
          && owner.getNodeId().equals(now);
    } catch (RuntimeException unreachableOrUnknown) {
      return false;
    }
  }

  /**
   * Who owns the slot now: {@code connection} to node {@code now}; {@code before} owned it until
   * this look-up (the same id if nothing moved; null for a standalone Redis). {@code handedOver}:
   * the previous owner says it moved the slot to {@code now} (its keys went with it, whole); false
   * means a failover to a replica, which may lack what the old master acknowledged and had not yet
   * replicated.
   */
  record Owner<V>(
      StatefulRedisConnection<String, V> connection,
      String before,
      String now,
      boolean handedOver) {

    boolean moved() {
      return before != null && !before.equals(now);
    }
  }

  /**
   * A client of {@code base} (a {@link RedisClusterClient} if {@code cluster}) on {@code
   * resources}, which it does not shut down. Its connections carry the name {@code name} and time
   * out after {@code timeout}; they reconnect by themselves and speak TLS with {@code ssl} if the
   * URI says {@code rediss://}. A cluster client re-reads the cluster's topology when a command is
   * redirected or a node keeps failing to reconnect (at most once a second) and every ten seconds,
   * so it follows failovers and resharding. {@code options} adds what differs between products
   * (queueing while disconnected, timeouts).
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
        cluster
            ? ClusterClientOptions.builder()
                .topologyRefreshOptions(
                    ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .enablePeriodicRefresh(Duration.ofSeconds(10))
                        .build())
            : ClientOptions.builder();
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
    if (client instanceof RedisClusterClient clusterClient) {
      StatefulRedisClusterConnection<String, V> connection = clusterClient.connect(codec);
      try {
        int slot = SlotHash.getSlot(key);
        String nodeId = connection.getPartitions().getPartitionBySlot(slot).getNodeId();
        warm(connection, key);
        return new Connections<>(
            connection,
            connection.async(),
            connection.getConnection(nodeId),
            connection,
            clusterClient,
            slot,
            nodeId);
      } catch (RuntimeException e) {
        connection.close();
        throw e;
      }
    }
    StatefulRedisConnection<String, V> connection = ((RedisClient) client).connect(codec);
    return new Connections<>(connection, connection.async(), connection, null, null, 0, null);
  }

  /**
   * Sends one keyed write through the routed connection and waits for it, so that the connection to
   * the key's node is open before the caller's first command. Until it is, Lettuce holds the
   * commands routed to that node on the pending connection and writes them once it opens, from the
   * thread that opened it, while commands sent after the opening go out at once from their
   * caller's: one held at that moment could be overtaken by the next. One publisher's events, and a
   * put followed by an invalidation of the same key in the tier, must reach Redis in the order
   * sent.
   */
  private static <V> void warm(StatefulRedisClusterConnection<String, V> connection, String key) {
    // A client that rejects commands while disconnected rejects those routed to a node whose
    // connection is still opening: try again, within the connection's timeout.
    long deadline = System.nanoTime() + connection.getTimeout().toNanos();
    while (true) {
      try {
        connection.sync().eval("return 1", ScriptOutputType.INTEGER, key);
        return;
      } catch (RedisException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** A subscription of a client made by {@link #client}; in a cluster it hears every node. */
  static StatefulRedisPubSubConnection<String, String> connectPubSub(AbstractRedisClient client) {
    if (client instanceof RedisClusterClient cluster) {
      return cluster.connectPubSub();
    }
    return ((RedisClient) client).connectPubSub();
  }
}
