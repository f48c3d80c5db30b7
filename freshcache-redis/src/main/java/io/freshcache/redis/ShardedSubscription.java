package io.freshcache.redis;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bus's sharded subscription ({@link ChannelDelivery#SHARDED}): its channels, which share one
 * hash slot, subscribed with {@code SSUBSCRIBE} on the node that owns that slot.
 *
 * <p>When the slot fails over or is moved, the old owner ends the subscription ({@code
 * sunsubscribe}) and Lettuce does not subscribe again: this class does, on the new owner, after
 * reading the cluster's topology afresh. A node that dies sends nothing: when the bus's heartbeats
 * stop coming back it asks {@link #check} to look the owner up again (at most once a second), and
 * subscribes there once the cluster has promoted a replica. Whatever was published while it was not
 * subscribed is not heard on the channel: the bus's stream fills that gap, or its reader reports a
 * loss.
 */
final class ShardedSubscription {

  private static final long REFRESH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What the subscription reports, on Lettuce's threads. */
  interface Listener {

    /** A message on one of the channels. */
    void message(String channel, String message);

    /** The node it was on ended the subscription: nothing is heard until it is back. */
    void ended(String nodeId);
  }

  private final RedisClusterClient client;
  private final StatefulRedisClusterPubSubConnection<String, String> connection;
  private final String[] channels;
  private final int slot;
  private final AtomicBoolean subscribing = new AtomicBoolean();

  /** The node the channels are subscribed on; null while they are not. */
  private volatile String nodeId;

  private volatile long lastRefresh = System.nanoTime() - REFRESH_INTERVAL_NANOS;
  private volatile boolean closed;

  /**
   * Subscribes {@code channels} (all of one hash slot) on their slot's owner, waiting at most
   * {@code timeout}; closes the connection and throws if that fails.
   */
  ShardedSubscription(
      RedisClusterClient client, Listener listener, Duration timeout, String... channels) {
    this.client = client;
    this.channels = channels.clone();
    this.slot = SlotHash.getSlot(channels[0]);
    for (String channel : channels) {
      if (SlotHash.getSlot(channel) != slot) {
        throw new IllegalArgumentException(channel + " is not in the slot of " + channels[0]);
      }
    }
    this.connection = client.connectPubSub();
    connection.addListener(
        new RedisClusterPubSubAdapter<>() {
          @Override
          public void smessage(RedisClusterNode node, String channel, String message) {
            listener.message(channel, message);
          }

          @Override
          public void sunsubscribed(RedisClusterNode node, String channel, long count) {
            String on = nodeId;
            if (closed || node == null || on == null || !on.equals(node.getNodeId())) {
              return; // a node we already left, or our own close
            }
            nodeId = null;
            listener.ended(on);
            refreshAndSubscribe();
          }
        });
    try {
      subscribeOnOwner().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (nodeId == null) {
        throw new IllegalStateException("could not subscribe " + channels[0] + " on its node");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connection.close();
      throw new IllegalStateException("interrupted while subscribing " + channels[0], e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      connection.close();
      throw new IllegalStateException(
          "could not subscribe " + channels[0] + " on its node: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** Whether the channels are subscribed on the node the bus last found owning their slot. */
  boolean subscribed() {
    return nodeId != null;
  }

  /** The node the channels are subscribed on, or null (for tests and messages). */
  String nodeId() {
    return nodeId;
  }

  /**
   * Called once per heartbeat: subscribes again if not subscribed or if the client's view of the
   * cluster names another owner; with {@code overdue} (heartbeats stopped coming back), reads the
   * topology afresh first, at most once a second.
   */
  void check(boolean overdue) {
    if (closed) {
      return;
    }
    RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(slot);
    String on = nodeId;
    boolean moved = owner != null && on != null && !on.equals(owner.getNodeId());
    if (moved) {
      nodeId = null; // that node no longer owns the slot: what it carries now is not ours
    }
    if (overdue || on == null || moved) {
      if (System.nanoTime() - lastRefresh >= REFRESH_INTERVAL_NANOS) {
        refreshAndSubscribe();
      } else if (on == null || moved) {
        subscribeOnOwner();
      }
    }
  }

  private void refreshAndSubscribe() {
    lastRefresh = System.nanoTime();
    client
        .refreshPartitionsAsync()
        .whenComplete(
            (done, failure) -> {
              RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(slot);
              String on = nodeId;
              if (on != null && owner != null && !on.equals(owner.getNodeId())) {
                nodeId = null;
              }
              if (nodeId == null) {
                subscribeOnOwner();
              }
            });
  }

  /**
   * Sends SSUBSCRIBE to the node that owns the slot in the client's view; once it answers, that
   * node is the one subscribed on. One attempt at a time; a failed one (the node does not own the
   * slot after all, or cannot be reached) is tried again at the next {@link #check}.
   */
  private CompletableFuture<Void> subscribeOnOwner() {
    if (closed || !subscribing.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(slot);
    if (owner == null) {
      subscribing.set(false);
      return CompletableFuture.completedFuture(null);
    }
    String id = owner.getNodeId();
    return connection
        .getConnectionAsync(id)
        .thenCompose(node -> node.async().ssubscribe(channels).toCompletableFuture())
        .handle(
            (done, failure) -> {
              subscribing.set(false);
              if (failure == null && !closed) {
                nodeId = id;
              }
              return null;
            });
  }

  void close() {
    closed = true;
    connection.close();
  }
}
