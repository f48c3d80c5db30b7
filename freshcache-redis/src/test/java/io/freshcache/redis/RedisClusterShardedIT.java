package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What sharded channels ({@link ChannelDelivery#SHARDED}) change, on the shared private cluster
 * (three masters, no replicas).
 *
 * <p>An event reaches only the nodes of its namespace's shard. Measured on the cluster's own bus
 * between nodes: a classic PUBLISH is forwarded to every node ({@code
 * cluster_stats_messages_publish_received} grows on each), a SPUBLISH only to the replicas of the
 * slot's master. The masters that do not own the namespace's slot receive no publish of any kind
 * while a sharded bus publishes, heartbeats and probes; the same traffic in the default pattern
 * mode reaches them (so the measurement can see it).
 *
 * <p>A node that holds writes ({@code CLIENT PAUSE ... WRITE}) holds the events' script: it must
 * hold the proofs too (the sharded heartbeats and probes are SPUBLISHes, which it holds).
 */
class RedisClusterShardedIT {

  private static final int EVENTS = 50;

  @Test
  void shardedEventsHeartbeatsAndProbesStayOnTheNamespacesShard() throws Exception {
    forwardedToOtherMasters(ChannelDelivery.SHARDED)
        .forEach(
            (node, publishes) ->
                assertThat(publishes)
                    .as("publishes forwarded to " + node + ", which does not own the slot")
                    .isZero());
  }

  @Test
  void patternModeReachesEveryNodeWhichTheMeasurementSees() throws Exception {
    forwardedToOtherMasters(ChannelDelivery.PATTERN)
        .forEach(
            (node, publishes) ->
                assertThat(publishes)
                    .as("publishes forwarded to " + node)
                    .isGreaterThanOrEqualTo(EVENTS));
  }

  /**
   * Runs a bus of {@code delivery} in a fresh namespace ({@link #run}); returns, for every node but
   * the slot's owner, how many publishes it received over the cluster's bus meanwhile.
   */
  private static Map<String, Long> forwardedToOtherMasters(ChannelDelivery delivery)
      throws Exception {
    Map<String, Long> before = publishesReceived();
    String owner = run("shardlocal-" + System.nanoTime(), delivery);
    Map<String, Long> after = publishesReceived();
    Map<String, Long> forwarded = new HashMap<>();
    for (String node : before.keySet()) {
      if (!node.equals(owner)) {
        forwarded.put(node, after.get(node) - before.get(node));
      }
    }
    assertThat(forwarded).as("the other masters").hasSize(before.size() - 1);
    return forwarded;
  }

  @Test
  void aShardThatHoldsWritesStopsTheBusVouchingBeforeThePauseEnds() throws Exception {
    String namespace = "shardpause-" + System.nanoTime();
    try (RedisBus bus = bus(namespace, ChannelDelivery.SHARDED)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!bus.isLive() && System.nanoTime() - deadline < 0) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
      assertThat(bus.isLive()).as("the bus vouches before the pause").isTrue();
      RedisClient client = RedisTestSupport.plainClient(ownerOf(bus.streamKey()));
      try (StatefulRedisConnection<String, String> admin = client.connect()) {
        long pauseMillis = 5_000;
        long pauseEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis);
        client(admin, "PAUSE", Long.toString(pauseMillis), "WRITE"); // the events' script held
        boolean stoppedVouching = false;
        while (!stoppedVouching && System.nanoTime() - pauseEnds < 0) {
          stoppedVouching = !bus.isLive();
          TimeUnit.MILLISECONDS.sleep(1);
        }
        client(admin, "UNPAUSE");
        assertThat(stoppedVouching).as("the bus stopped vouching while writes were held").isTrue();
      } finally {
        client.shutdown();
      }
    }
  }

  /** CLIENT with {@code args}: PAUSE ms WRITE holds every client's writes and answers reads. */
  private static void client(StatefulRedisConnection<String, String> admin, String... args) {
    CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8);
    for (String arg : args) {
      command.add(arg);
    }
    admin.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), command);
  }

  @Test
  void anEventSpublishedByAnotherClientIsHeardAndNoClassicSubscriptionIsHeld() throws Exception {
    String namespace = "shardother-" + System.nanoTime();
    CountDownLatch heard = new CountDownLatch(1);
    String event =
        "{\"type\":\"user.updated\",\"timestamp\":1.5,\"payload\":{\"type\":\"delete\","
            + "\"keys\":[\"user:1\"]},\"marker\":\""
            + namespace
            + "\"}";
    try (RedisBus bus = bus(namespace, ChannelDelivery.SHARDED)) {
      bus.subscribe(
          message -> {
            if (message.equals(event)) {
              heard.countDown();
            }
          });
      RedisClient client = RedisTestSupport.plainClient(ownerOf(bus.streamKey()));
      try (StatefulRedisConnection<String, String> other = client.connect()) {
        assertThat(other.sync().spublish(RedisBus.shardedChannel(namespace), event))
            .as("subscribers of the sharded channel")
            .isEqualTo(1);
      } finally {
        client.shutdown();
      }
      assertThat(heard.await(30, TimeUnit.SECONDS)).as("the SPUBLISHed event was heard").isTrue();
      // A plain PUBLISH reaches pattern and channel subscribers only: the bus holds none.
      for (String uri : PrivateRedisCluster.shared().nodeUris()) {
        RedisClient node = RedisTestSupport.plainClient(uri);
        try (StatefulRedisConnection<String, String> admin = node.connect()) {
          assertThat(admin.sync().pubsubNumpat()).as("patterns subscribed on " + uri).isZero();
          assertThat(admin.sync().pubsubChannels()).as("channels subscribed on " + uri).isEmpty();
        } finally {
          node.shutdown();
        }
      }
    }
  }

  @Test
  void shardedModeNeedsACluster() {
    assertThatThrownBy(
            () ->
                RedisBus.builder(RedisTestSupport.URI, "shardlocal-standalone")
                    .channelDelivery(ChannelDelivery.SHARDED)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channelDelivery(SHARDED) needs a Redis Cluster: add .cluster(true)");
  }

  /**
   * Builds a bus of {@code delivery}, publishes {@link #EVENTS} events, waits until its own
   * receiver has them all and a few heartbeats have come back, closes it; returns the URI of the
   * node that owns the namespace's slot.
   */
  private static String run(String namespace, ChannelDelivery delivery) throws Exception {
    CountDownLatch received = new CountDownLatch(EVENTS);
    String marker = namespace + ":";
    try (RedisBus bus = bus(namespace, delivery)) {
      bus.subscribe(
          message -> {
            if (message.startsWith(marker)) {
              received.countDown();
            }
          });
      for (int i = 0; i < EVENTS; i++) {
        bus.publish("kit.shard", marker + i);
      }
      assertThat(received.await(30, TimeUnit.SECONDS)).as("every event arrived").isTrue();
      long heartbeats = bus.heartbeats();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (bus.heartbeats() < heartbeats + 3 && System.nanoTime() - deadline < 0) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      assertThat(bus.heartbeats()).as("heartbeats came back").isGreaterThanOrEqualTo(3);
      return ownerOf(bus.streamKey());
    }
  }

  /**
   * A bus of {@code namespace} on the shared private cluster, hearing events by {@code delivery}.
   */
  private static RedisBus bus(String namespace, ChannelDelivery delivery) {
    return RedisBus.builder(PrivateRedisCluster.shared().uri(), namespace)
        .keyPrefix("fcshard")
        .cluster(true)
        .channelDelivery(delivery)
        .build();
  }

  /** {@code cluster_stats_messages_publish[shard]_received}, summed, of every node by URI. */
  private static Map<String, Long> publishesReceived() {
    Map<String, Long> counts = new HashMap<>();
    for (String uri : PrivateRedisCluster.shared().nodeUris()) {
      RedisClient client = RedisTestSupport.plainClient(uri);
      try (StatefulRedisConnection<String, String> admin = client.connect()) {
        long sum = 0;
        for (String line : admin.sync().clusterInfo().split("\r?\n")) {
          if (line.startsWith("cluster_stats_messages_publish_received:")
              || line.startsWith("cluster_stats_messages_publishshard_received:")) {
            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
        counts.put(uri, sum);
      } finally {
        client.shutdown();
      }
    }
    return counts;
  }

  /** The URI of the node that owns {@code key}'s slot. */
  private static String ownerOf(String key) {
    int slot = SlotHash.getSlot(key);
    for (String uri : PrivateRedisCluster.shared().nodeUris()) {
      RedisClient client = RedisTestSupport.plainClient(uri);
      try (StatefulRedisConnection<String, String> admin = client.connect()) {
        List<Object> shards = admin.sync().clusterSlots();
        for (Object range : shards) {
          List<?> r = (List<?>) range;
          long from = (Long) r.get(0);
          long to = (Long) r.get(1);
          List<?> master = (List<?>) r.get(2);
          if (slot >= from && slot <= to) {
            return "redis://127.0.0.1:" + master.get(1);
          }
        }
      } finally {
        client.shutdown();
      }
    }
    throw new IllegalStateException("no node owns slot " + slot);
  }
}
