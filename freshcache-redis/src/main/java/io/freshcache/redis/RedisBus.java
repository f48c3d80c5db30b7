package io.freshcache.redis;

import io.freshcache.InvalidationBus;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation bus on Redis, for a fleet of instances.
 *
 * <p><b>Wire.</b> Every event is published, as the brief's JSON, on the channel {@code
 * cache:invalidation:<event_type>}, and the bus subscribes to {@code cache:invalidation:*}: a
 * publisher in any language that knows only that format reaches every instance. freshcache's own
 * events are also appended, in the same script and so in the same order, to the stream {@code
 * <prefix>:{<namespace>}:log}, which every instance reads from its last position. An event that
 * arrives both ways is delivered once.
 *
 * <p><b>Nothing lost silently.</b> If the stream connection drops, the reader resumes from its last
 * position and <em>replays</em> what it missed; if the stream was trimmed past that position or
 * Redis restarted (its run id changed), it reports a loss and the group clears its caches. If the
 * channel subscription drops, events that only the channel carried (from publishers that know only
 * the brief's format) are gone: the bus reports a loss once it is subscribed again. With {@link
 * RedisBusBuilder#channelDelivery channel delivery} off, only the stream is read and a dropped
 * connection always replays.
 *
 * <p><b>Bounded staleness.</b> Every quarter of δ, the bus pings its subscription (a pong proves
 * everything published before the ping was delivered) and each stream read proves the same for the
 * stream. When neither has been proven for δ minus one heartbeat, the bus tells its receivers it is
 * not live and they stop serving local hits, so a killed connection cannot make an instance serve
 * an invalidated value for longer than δ; they resume once the bus has caught up.
 *
 * <p>Publishing is asynchronous: the event is queued on the command connection, which Lettuce
 * re-establishes and flushes after a disconnection. Failures are logged and counted.
 */
public final class RedisBus implements InvalidationBus {

  private static final Logger log = LoggerFactory.getLogger(RedisBus.class);

  /**
   * Channels are this prefix and the event type; the bus subscribes to the prefix and {@code *}.
   */
  public static final String CHANNEL_PREFIX = "cache:invalidation:";

  static final String CHANNEL_PATTERN = CHANNEL_PREFIX + "*";

  /** Appends to the log and publishes on the channel, atomically and in one round trip. */
  private static final String PUBLISH =
      "redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'm', ARGV[1]) "
          + "return redis.call('PUBLISH', ARGV[2], ARGV[1])";

  private final RedisBusBuilder config;
  final String streamKey;
  private final ClientResources resources;
  private final RedisClient commandClient;
  private final RedisClient subscriptionClient;
  private final RedisClient logClient;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final List<Attached> receivers = new CopyOnWriteArrayList<>();
  private final RecentMessages recent = new RecentMessages(50_000);
  private final ScheduledExecutorService heartbeat;
  private final StreamReader reader;
  private final long heartbeatNanos;
  private final long liveThresholdNanos;
  private final AtomicBoolean channelLossPending = new AtomicBoolean();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private volatile boolean channelConnected = true;
  private volatile long channelCaughtUpAt;
  private volatile boolean live = true;
  private volatile boolean closed;

  /** One receiver; deliveries to it are serialised, whichever connection they come from. */
  private static final class Attached {
    final Receiver receiver;

    Attached(Receiver receiver) {
      this.receiver = receiver;
    }

    synchronized void message(String message) {
      try {
        receiver.onMessage(message);
      } catch (RuntimeException e) {
        log.warn("a bus receiver failed on a message", e);
      }
    }

    synchronized void loss(String reason) {
      receiver.onLoss(reason);
    }

    synchronized void liveness(boolean live) {
      receiver.onLiveness(live);
    }
  }

  /** Starts a builder for a bus at {@code uri} carrying the events of group {@code namespace}. */
  public static RedisBusBuilder builder(String uri, String namespace) {
    return new RedisBusBuilder(uri, namespace);
  }

  RedisBus(RedisBusBuilder config) {
    this.config = config;
    this.streamKey = config.keyPrefix + ":{" + config.namespace + "}:log";
    this.heartbeatNanos = config.stalenessBound.toNanos() / 4;
    this.liveThresholdNanos = config.stalenessBound.toNanos() - heartbeatNanos;
    this.resources = DefaultClientResources.create();
    boolean started = false;
    try {
      this.commandClient = client("pub", config.commandTimeout);
      this.logClient = client("log", config.commandTimeout.plus(Duration.ofNanos(heartbeatNanos)));
      this.subscriptionClient =
          config.channelDelivery ? client("sub", config.commandTimeout) : null;
      this.commands = commandClient.connect();
      StatefulRedisConnection<String, String> logConnection = logClient.connect();
      this.reader = new StreamReader(this, logConnection, Duration.ofNanos(heartbeatNanos));
      if (subscriptionClient != null) {
        subscriptionClient.addListener(new SubscriptionWatch());
        this.subscription = subscriptionClient.connectPubSub();
        subscription.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String pattern, String channel, String message) {
                deliver(message);
              }
            });
        subscription.sync().psubscribe(CHANNEL_PATTERN);
      } else {
        this.subscription = null;
      }
      long now = System.nanoTime();
      channelCaughtUpAt = now;
      reader.start(now);
      this.heartbeat =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "freshcache-bus-heartbeat-" + config.namespace);
                t.setDaemon(true);
                return t;
              });
      heartbeat.scheduleAtFixedRate(
          this::beat, heartbeatNanos, heartbeatNanos, TimeUnit.NANOSECONDS);
      started = true;
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "could not connect the invalidation bus to Redis at "
              + config.uri.getHost()
              + ":"
              + config.uri.getPort()
              + ": "
              + e.getMessage(),
          e);
    } finally {
      if (!started) {
        resources.shutdown();
      }
    }
  }

  private RedisClient client(String role, Duration timeout) {
    RedisURI uri = RedisURI.builder(config.uri).withTimeout(timeout).build();
    uri.setClientName(config.clientName + "-" + role);
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .requestQueueSize(100_000)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .build());
    return client;
  }

  // ---------------------------------------------------------------- InvalidationBus

  @Override
  public void publish(String eventType, String message) {
    if (closed) {
      throw new IllegalStateException("the Redis bus of '" + config.namespace + "' is closed");
    }
    commands
        .async()
        .<Long>eval(
            PUBLISH,
            ScriptOutputType.INTEGER,
            new String[] {streamKey},
            message,
            CHANNEL_PREFIX + eventType,
            Long.toString(config.streamMaxLength))
        .whenComplete(
            (receivers, failure) -> {
              if (failure != null) {
                publishFailures.increment();
                log.warn(
                    "bus '{}': could not publish a {} event: {}",
                    config.namespace,
                    eventType,
                    failure.toString());
              }
            });
  }

  @Override
  public Subscription subscribe(Receiver receiver) {
    if (closed) {
      throw new IllegalStateException("the Redis bus of '" + config.namespace + "' is closed");
    }
    Attached attached = new Attached(receiver);
    receivers.add(attached);
    if (!live) {
      attached.liveness(false);
    }
    return () -> receivers.remove(attached);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.shutdownNow();
    reader.stop();
    if (subscription != null) {
      subscription.close();
      subscriptionClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    commands.close();
    commandClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    logClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** Events this bus failed to publish. */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Whether the bus can vouch, now, that it has delivered everything published δ ago. */
  public boolean isLive() {
    return live;
  }

  /** The CLIENT SETNAME of this bus's connections: the prefix, then -pub, -sub or -log. */
  public String clientName() {
    return config.clientName;
  }

  /** The Redis key of the durable log. */
  public String streamKey() {
    return streamKey;
  }

  @Override
  public String toString() {
    return "RedisBus[" + config.uri.getHost() + ":" + config.uri.getPort() + ", " + streamKey + "]";
  }

  // ---------------------------------------------------------------- delivery and liveness

  /** Hands a message to every receiver, once, whichever way it came. */
  void deliver(String message) {
    if (!recent.firstTime(message)) {
      return;
    }
    delivered.increment();
    for (Attached attached : receivers) {
      attached.message(message);
    }
  }

  void reportLoss(String reason) {
    log.warn("bus '{}': {}", config.namespace, reason);
    for (Attached attached : receivers) {
      attached.loss(reason);
    }
  }

  /** Called by the stream reader when it cannot read; live is judged again at the next beat. */
  void streamTrouble() {
    judge(System.nanoTime());
  }

  private void beat() {
    try {
      if (subscription != null && channelConnected) {
        long sent = System.nanoTime();
        if (channelLossPending.get()) {
          // Subscribe again ourselves: the ping below then follows it on the connection, so its
          // pong proves the subscription is back before the loss is reported.
          subscription.async().psubscribe(CHANNEL_PATTERN);
        }
        subscription
            .async()
            .ping()
            .whenComplete(
                (pong, failure) -> {
                  if (failure != null) {
                    return;
                  }
                  if (channelLossPending.compareAndSet(true, false)) {
                    reportLoss(
                        "the channel subscription dropped: events published meanwhile by"
                            + " channel-only publishers are lost");
                  }
                  if (sent - channelCaughtUpAt > 0) {
                    channelCaughtUpAt = sent;
                  }
                });
      }
      judge(System.nanoTime());
    } catch (RuntimeException e) {
      log.debug("bus '{}': heartbeat failed: {}", config.namespace, e.toString());
    }
  }

  private synchronized void judge(long now) {
    long caughtUp = reader.caughtUpAt();
    boolean ok = reader.healthy() && now - caughtUp < liveThresholdNanos;
    if (subscription != null) {
      ok &=
          channelConnected
              && !channelLossPending.get()
              && now - channelCaughtUpAt < liveThresholdNanos;
    }
    if (ok != live) {
      live = ok;
      for (Attached attached : receivers) {
        attached.liveness(ok);
      }
    }
  }

  /** Watches the subscription connection: a drop suspends at once and means a loss. */
  private final class SubscriptionWatch implements RedisConnectionStateListener {
    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      if (closed || connection != subscription) {
        return;
      }
      channelConnected = false;
      channelLossPending.set(true);
      judge(System.nanoTime());
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      if (connection == subscription) {
        channelConnected = true;
      }
    }
  }
}
