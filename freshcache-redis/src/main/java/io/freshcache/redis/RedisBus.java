package io.freshcache.redis;

import io.freshcache.InvalidationBus;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p><b>Bounded staleness.</b> Every quarter of δ the bus asks its subscription for its {@code
 * CLIENT ID}: the reply proves that everything published before it was delivered, and a changed id
 * reveals a reconnection that Lettuce made without telling (a loss, reported once the pattern is
 * subscribed again). Each stream read proves the same for the stream. After each proof the bus
 * hands its receivers a deadline, δ after the older of the two proofs; they serve local hits only
 * before it, checking the clock on every hit. A stalled Redis or a dead connection simply stops the
 * proofs, so no instance serves an invalidated value for longer than δ, however late any of the
 * bus's own threads run.
 *
 * <p>Publishing is asynchronous: the event is queued on the command connection, which Lettuce
 * re-establishes and flushes after a disconnection. Failures are logged and counted; {@link #flush}
 * waits for what is in flight, and {@link #close} flushes before it disconnects.
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
  private final AbstractRedisClient commandClient;
  private final AbstractRedisClient subscriptionClient;
  private final AbstractRedisClient logClient;
  private final BusConnections commands;
  private final BusConnections logConnections;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final List<Attached> receivers = new CopyOnWriteArrayList<>();
  private final Duplicates duplicates = new Duplicates(10_000);
  private final ScheduledExecutorService heartbeat;
  private final StreamReader reader;
  private final long heartbeatNanos;
  private final long boundNanos;
  private final AtomicBoolean channelLossPending = new AtomicBoolean();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder delivered = new LongAdder();

  /** Publishes sent and not yet answered: close() waits for them. */
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

  private volatile boolean channelConnected = true;
  private volatile long channelCaughtUpAt;
  private volatile Long subscriptionId;
  private volatile long trustedUntil;
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

    synchronized void trustUntil(long deadline) {
      receiver.trustUntil(deadline);
    }
  }

  /** Starts a builder for a bus at {@code uri} carrying the events of group {@code namespace}. */
  public static RedisBusBuilder builder(String uri, String namespace) {
    return new RedisBusBuilder(uri, namespace);
  }

  RedisBus(RedisBusBuilder config) {
    this.config = config;
    this.streamKey = config.keyPrefix + ":{" + config.namespace + "}:log";
    this.boundNanos = config.stalenessBound.toNanos();
    this.heartbeatNanos = boundNanos / 4;
    this.resources = DefaultClientResources.create();
    boolean started = false;
    try {
      this.commandClient = client("pub", config.commandTimeout);
      this.logClient = client("log", config.commandTimeout.plus(Duration.ofNanos(heartbeatNanos)));
      logClient.addListener(
          new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
              if (!closed) {
                reader.disconnected();
                distrust();
              }
            }
          });
      this.subscriptionClient =
          config.channelDelivery ? client("sub", config.commandTimeout) : null;
      this.commands = BusConnections.connect(commandClient, streamKey);
      this.logConnections = BusConnections.connect(logClient, streamKey);
      this.reader = new StreamReader(this, logConnections.node, Duration.ofNanos(heartbeatNanos));
      if (subscriptionClient != null) {
        subscriptionClient.addListener(new SubscriptionWatch());
        this.subscription = BusConnections.connectPubSub(subscriptionClient);
        subscription.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String pattern, String channel, String message) {
                deliver(message, Duplicates.Path.CHANNEL);
              }
            });
        subscription.sync().psubscribe(CHANNEL_PATTERN);
        subscriptionId = subscriptionId();
      } else {
        this.subscription = null;
      }
      long now = System.nanoTime();
      channelCaughtUpAt = now;
      trustedUntil = now + boundNanos;
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

  private AbstractRedisClient client(String role, Duration timeout) {
    return BusConnections.client(
        resources, config.uri, config.cluster, config.clientName + "-" + role, timeout);
  }

  // ---------------------------------------------------------------- InvalidationBus

  /**
   * {@inheritDoc}
   *
   * <p>One script appends the event to the log and publishes it on its channel; the future
   * completes with Redis's reply, so once it has, the event is in Redis and reaches every instance
   * whatever happens to this process. It fails if Redis does not answer within the command timeout
   * or cannot be reached; the cache group then keeps the event in its outbox and sends it again.
   * Failures are counted ({@link #publishFailures}) and logged at DEBUG: the group says what they
   * mean for the fleet.
   */
  @Override
  public CompletableFuture<Void> publish(String eventType, String message) {
    if (closed) {
      throw new IllegalStateException("the Redis bus of '" + config.namespace + "' is closed");
    }
    CompletableFuture<Long> sent =
        commands
            .scripting
            .<Long>eval(
                PUBLISH,
                ScriptOutputType.INTEGER,
                new String[] {streamKey},
                message,
                CHANNEL_PREFIX + eventType,
                Long.toString(config.streamMaxLength))
            .toCompletableFuture();
    inFlight.add(sent);
    return sent.handle(
        (receivers, failure) -> {
          inFlight.remove(sent);
          if (failure != null) {
            publishFailures.increment();
            log.debug(
                "bus '{}': could not publish a {} event: {}",
                config.namespace,
                eventType,
                failure.toString());
            throw failure instanceof java.util.concurrent.CompletionException c
                ? c
                : new java.util.concurrent.CompletionException(failure);
          }
          return null;
        });
  }

  /**
   * Waits until every event published so far has reached Redis (or failed), for at most {@code
   * timeout}; true if none is left in flight.
   */
  public boolean flush(Duration timeout) {
    CompletableFuture<?>[] pending = inFlight.toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(pending).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // failures are counted where they complete; a timeout leaves them in flight
    }
    // Judge by the futures waited on, not by the set: their removal may still be running.
    for (CompletableFuture<?> future : pending) {
      if (!future.isDone()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Subscription subscribe(Receiver receiver) {
    if (closed) {
      throw new IllegalStateException("the Redis bus of '" + config.namespace + "' is closed");
    }
    Attached attached = new Attached(receiver);
    receivers.add(attached);
    attached.trustUntil(trustedUntil);
    return () -> receivers.remove(attached);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!flush(config.commandTimeout)) {
      log.warn(
          "bus '{}': closing with {} events still unconfirmed by Redis",
          config.namespace,
          inFlight.size());
    }
    heartbeat.shutdownNow();
    reader.stop();
    if (subscription != null) {
      subscription.close();
      subscriptionClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    commands.owner.close();
    logConnections.owner.close();
    commandClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    logClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** Events this bus failed to publish. */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Whether the bus vouches, now, that it has delivered everything published δ ago. */
  public boolean isLive() {
    return System.nanoTime() - trustedUntil < 0;
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
  void deliver(String message, Duplicates.Path path) {
    if (!duplicates.deliver(message, path)) {
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

  /** The stream reader proved it caught up: maybe move the deadline on. */
  void streamCaughtUp() {
    extendTrust();
  }

  /** Something is wrong: stop trusting local state now, not at the deadline. */
  void distrust() {
    pushTrust(System.nanoTime() - 1);
  }

  private synchronized void extendTrust() {
    if (!reader.healthy()
        || (subscription != null && (!channelConnected || channelLossPending.get()))) {
      return;
    }
    long caughtUp = reader.caughtUpAt();
    if (subscription != null && channelCaughtUpAt - caughtUp < 0) {
      caughtUp = channelCaughtUpAt;
    }
    long deadline = caughtUp + boundNanos;
    if (deadline - trustedUntil > 0) {
      pushTrust(deadline);
    }
  }

  private synchronized void pushTrust(long deadline) {
    trustedUntil = deadline;
    for (Attached attached : receivers) {
      attached.trustUntil(deadline);
    }
  }

  private Long subscriptionId() {
    try {
      return subscription.sync().clientId();
    } catch (RuntimeException notInSubscribedMode) {
      return null; // RESP2 allows only PING on a subscribed connection: rely on disconnect events
    }
  }

  private void beat() {
    if (subscription == null || !channelConnected) {
      return;
    }
    try {
      long sent = System.nanoTime();
      if (channelLossPending.get()) {
        // Subscribe again ourselves: the probe below follows it on the connection, so its reply
        // proves the pattern is back before the loss is reported.
        subscription.async().psubscribe(CHANNEL_PATTERN);
      }
      if (subscriptionId == null) {
        subscription.async().ping().whenComplete((pong, failure) -> proved(sent, null, failure));
      } else {
        subscription.async().clientId().whenComplete((id, failure) -> proved(sent, id, failure));
      }
    } catch (RuntimeException e) {
      log.debug("bus '{}': heartbeat failed: {}", config.namespace, e.toString());
    }
  }

  /** The subscription answered a probe sent at {@code sent}: all before it was delivered. */
  private void proved(long sent, Long id, Throwable failure) {
    if (failure != null) {
      return;
    }
    if (id != null && !id.equals(subscriptionId)) {
      // A new connection: Lettuce reconnected, maybe without telling. What was published in
      // between is gone; report it once the pattern is surely subscribed (next probe).
      subscriptionId = id;
      channelLossPending.set(true);
      distrust();
      return;
    }
    if (channelLossPending.compareAndSet(true, false)) {
      reportLoss(
          "the channel subscription dropped: events published meanwhile by channel-only"
              + " publishers are lost");
    }
    if (sent - channelCaughtUpAt > 0) {
      channelCaughtUpAt = sent;
    }
    extendTrust();
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
      distrust();
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      if (connection == subscription) {
        channelConnected = true;
      }
    }
  }
}
