package io.freshcache.redis;

import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SerialReceiver;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation bus on Redis, for a fleet of instances.
 *
 * <p><b>Wire.</b> Every event is published, as plain JSON, on the channel {@code
 * cache:invalidation:<event_type>}, and the bus subscribes to {@code cache:invalidation:*}: a
 * publisher in any language that knows only that format reaches every instance. freshcache's own
 * events are also numbered in their namespace's sequence ({@code <prefix>:{<namespace>}:seq}) and
 * appended, with their number, to the stream {@code <prefix>:{<namespace>}:log}, in the same script
 * and so in the same order; the channel copy carries its place in the log as one last JSON field,
 * {@code "log":{"key":...,"seq":...,"id":...}} (see {@code docs/design-decisions.md}), which any
 * JSON reader passes over and the bus removes before it hands the event on. Each event is delivered
 * once.
 *
 * <p><b>From the channel, the log only for a gap.</b> With the channel on (the default, and {@link
 * ChannelDelivery#SHARDED}) a receiver takes each event from the channel, in sequence order. It
 * reads the log only when a number is missing: an event arrives whose predecessor it never heard,
 * or a heartbeat (below) shows the sequence further on than what it handed over. Then it reads the
 * log from its position and hands over what it missed, in order, before anything that waited behind
 * the gap. Events from plain publishers carry no number and are delivered as they arrive.
 *
 * <p><b>Sharded channels.</b> On a Redis Cluster a classic publish reaches every node. With {@link
 * ChannelDelivery#SHARDED} the bus publishes with {@code SPUBLISH} on the namespace's one sharded
 * channel, {@code cache:invalidation:{<namespace>}} ({@link #shardedChannel}), from the same
 * script, and subscribes with {@code SSUBSCRIBE} on the node that owns the namespace's slot; its
 * heartbeats travel a sharded channel of that slot too, so the namespace's traffic stays on its
 * shard. It does not hear a plain {@code PUBLISH}: for fleets whose publishers are freshcache
 * instances (see {@link ChannelDelivery#SHARDED}). When the slot changes hands the old owner ends
 * the subscription and the bus subscribes on the new one; what it missed meanwhile the log fills,
 * or the bus reports a loss.
 *
 * <p><b>Nothing lost silently.</b> A missing number that the log no longer holds (trimmed, deleted)
 * is reported as a loss, before the events that follow it; so is a restarted Redis (its run id
 * changed) or a log whose slot failed over to a replica, which the bus checks every few seconds and
 * after its log connection drops. If the channel subscription drops, events that only the channel
 * carried (from publishers that know only the plain format) are gone: the bus reports a loss once
 * it is subscribed again; freshcache's own are filled from the log. With {@link
 * RedisBusBuilder#channelDelivery channel delivery} off, every event is read from the log, from its
 * last position, and a dropped connection replays what it missed.
 *
 * <p><b>Bounded staleness.</b> The proof that everything published up to a moment was delivered
 * travels the path the events travel. Every quarter of δ the bus publishes a heartbeat, from the
 * connection its events go out on, on a channel only it subscribes to, through the subscription its
 * events arrive on, in a script that reads the namespace's sequence in the same step: the
 * heartbeat's return proves that everything Redis published before it reached this instance, and
 * once every number up to the sequence it carries has been handed over, that all of it was
 * delivered. A Redis that answers other commands but holds scripts and publishes (a {@code CLIENT
 * PAUSE ... WRITE}, a full output buffer) holds the heartbeat too. With the channel off, the stream
 * reader's probing reads are the proofs, each behind a PUBLISH on the same connection. The bus also
 * asks its subscription for its {@code CLIENT ID}: a changed id reveals a reconnection that Lettuce
 * made without telling (a loss, reported once the pattern is subscribed again). After each proof
 * the bus hands its receivers a deadline, δ after it; they serve local hits only before it,
 * checking the clock on every hit. A stalled Redis or a dead connection simply stops the proofs, so
 * no instance serves an invalidated value for longer than δ after the invalidation reached Redis,
 * however late any of the bus's own threads run.
 *
 * <p><b>Publishing</b> returns a future that completes when Redis has appended the event to the log
 * and published it. A publish that fails is the cache group's to send again (its outbox).
 *
 * <p><b>Starting without Redis.</b> If Redis cannot be reached when the bus is built, the bus
 * starts detached (unless {@link RedisBusBuilder#failFast}): its receivers are told nothing can be
 * trusted (local hits suspended, reads go to the source), publishes fail (the group keeps them),
 * and the bus tries to attach once a second. Once attached it reports a loss — events published
 * while it was away were never heard — so the group clears what it loaded meanwhile, then vouches
 * as usual. A Redis that refuses the bus (wrong password, missing permission) or whose TLS
 * certificate does not verify fails the build either way.
 */
public final class RedisBus implements InvalidationBus {

  private static final Logger log = LoggerFactory.getLogger(RedisBus.class);

  /**
   * Channels are this prefix and the event type; the bus subscribes to the prefix and {@code *}.
   */
  public static final String CHANNEL_PREFIX = "cache:invalidation:";

  static final String CHANNEL_PATTERN = CHANNEL_PREFIX + "*";

  /** How often a detached bus tries to attach. */
  private static final long ATTACH_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Numbers the event in the namespace's sequence, appends it (with its number) to the log and
   * publishes it on the channel with its position attached ({@link LogPosition}), atomically and in
   * one round trip. An empty message has no last character to put the position before: it goes to
   * the log unnumbered and to the channel as it is.
   */
  private static final String PUBLISH = publishScript("PUBLISH");

  /** The same, publishing on the namespace's sharded channel ({@link ChannelDelivery#SHARDED}). */
  private static final String SPUBLISH = publishScript("SPUBLISH");

  /** Publishes a heartbeat with the namespace's sequence as Redis has it at that moment. */
  private static final String HEARTBEAT = heartbeatScript("PUBLISH");

  private static final String SHEARTBEAT = heartbeatScript("SPUBLISH");

  private static String publishScript(String command) {
    return "local m = ARGV[1] local len = ARGV[3] "
        + numberAndAppend()
        + "return redis.call('"
        + command
        + "', ARGV[2], m)";
  }

  /**
   * Numbers, appends and publishes a backlog of events in order, in one script and so in one round
   * trip and all or nothing: {@code ARGV[1]} the log's length, then a channel and a message per
   * event.
   */
  private static String batchScript(String command) {
    return "local count = 0 local len = ARGV[1] for i = 2, #ARGV, 2 do local m = ARGV[i + 1] "
        + numberAndAppend()
        + "redis.call('"
        + command
        + "', ARGV[i], m) count = count + 1 end return count";
  }

  /**
   * The Lua that numbers the message {@code m} in the namespace's sequence, appends it with its
   * number to the log (of length {@code len}) and puts its position into {@code m}, for the
   * channel; an empty message goes to the log unnumbered and to the channel as it is.
   */
  private static String numberAndAppend() {
    return "if #m == 0 then redis.call('XADD', KEYS[1], 'MAXLEN', '~', len, '*', 'm', m) else "
        + "local seq = redis.call('INCR', KEYS[2]) "
        + "local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', len, '*', 'm', m, 's', seq) "
        + LogPosition.SPLICE
        + "end ";
  }

  private static String heartbeatScript(String command) {
    return "return redis.call('"
        + command
        + "', ARGV[1], ARGV[2] .. ':' .. (redis.call('GET', KEYS[1]) or '0'))";
  }

  private final BusSettings settings;
  private final String streamKey;

  /** The namespace's event count: the publish script increments it, heartbeats carry it. */
  private final String seqKey;

  /** The publish script of the bus's delivery: loaded at attach, then sent as EVALSHA. */
  private final Script publishScript;

  /** The heartbeat script of the bus's delivery, likewise. */
  private final Script heartbeatScript;

  /** The batch script of the bus's delivery ({@link #publishInOrder}), by digest. */
  private final Script batchScript;

  /** Whether the channels are sharded ({@link ChannelDelivery#SHARDED}). */
  private final boolean sharded;

  /** The namespace's sharded channel: where events go with SPUBLISH in sharded mode. */
  private final String shardedChannel;

  /** This bus's heartbeat channel: only its own subscription listens to it. */
  private final String heartbeatChannel;

  /** Where the stream reader's probing write goes: nobody listens. */
  private final String probeChannel;

  /** Marks this bus's heartbeats, whatever else shares its channel name. */
  private final String token;

  /** What the bus's clients run on: handed in, or made by the bus and then shut down by it. */
  private final Resources resources;

  private final List<SerialReceiver> receivers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService heartbeat;
  private final long heartbeatNanos;
  private final long boundNanos;
  private final AtomicBoolean channelLossPending = new AtomicBoolean();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder heartbeats = new LongAdder();

  /** Publishes sent and not yet answered: close() waits for them. */
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

  /** The connections, once attached; null while Redis could not be reached. */
  private volatile Link link;

  private volatile boolean channelConnected = true;
  private volatile long channelCaughtUpAt;
  private volatile Long subscriptionId;
  private volatile long trustedUntil;
  private volatile boolean closed;

  /** The bus's connections to Redis, made together when it attaches. */
  private final class Link {
    final AbstractRedisClient commandClient;
    final AbstractRedisClient logClient;
    final AbstractRedisClient subscriptionClient;
    final Connections<String> commands;
    final Connections<String> logConnections;
    final StatefulRedisPubSubConnection<String, String> subscription;
    final ShardedSubscription shard;

    /** With channel delivery off: reads every event from the log. Null otherwise. */
    final StreamReader reader;

    /** With channel delivery on: reads the log when the sequencer misses something. */
    final GapFiller filler;

    /** With channel delivery on: the order of this namespace's events, from the channel. */
    final Sequencer sequencer;

    /**
     * Whether events go by the script's digest (EVALSHA): once the script is loaded on the node
     * that owns the namespace's slot, until Redis says it no longer knows it (a restart, SCRIPT
     * FLUSH). Then they go as text (EVAL) for the rest of the link: falling back per event could
     * let a later event's EVALSHA overtake an earlier one's EVAL, and one publisher's events must
     * stay in order.
     */
    volatile boolean byDigest;

    /** Connects everything, or closes what it made and throws. */
    Link(long now) {
      List<AbstractRedisClient> made = new ArrayList<>();
      try {
        commandClient = client("pub", settings.commandTimeout());
        made.add(commandClient);
        logClient = client("log", settings.commandTimeout().plus(Duration.ofNanos(heartbeatNanos)));
        made.add(logClient);
        subscriptionClient =
            settings.channelDelivery() != ChannelDelivery.OFF
                ? client("sub", settings.commandTimeout())
                : null;
        if (subscriptionClient != null) {
          made.add(subscriptionClient);
        }
        commands = Connections.connect(commandClient, StringCodec.UTF8, streamKey);
        logConnections = Connections.connect(logClient, StringCodec.UTF8, streamKey);
        if (subscriptionClient == null) {
          reader =
              new StreamReader(
                  logConnections,
                  streamKey,
                  probeChannel,
                  sharded,
                  Duration.ofNanos(heartbeatNanos),
                  new StreamEvents());
          filler = null;
          sequencer = null;
        } else {
          reader = null;
          filler =
              new GapFiller(
                  logConnections,
                  streamKey,
                  seqKey,
                  settings.cluster() ? Duration.ofNanos(heartbeatNanos) : Duration.ZERO,
                  RedisBus.this::distrust);
          // Before subscribing: an event published in between is a gap, which the log fills.
          sequencer = filler.open(new Ordered());
        }
        logClient.addListener(
            new RedisConnectionStateListener() {
              @Override
              public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (!closed) {
                  if (reader != null) {
                    reader.disconnected();
                  } else {
                    filler.disconnected();
                  }
                  distrust();
                }
              }
            });
        if (sharded) {
          subscription = null;
          shard =
              new ShardedSubscription(
                  (io.lettuce.core.cluster.RedisClusterClient) subscriptionClient,
                  new ShardEvents(this),
                  settings.commandTimeout(),
                  shardedChannel,
                  heartbeatChannel);
        } else if (subscriptionClient != null) {
          shard = null;
          subscription = Connections.connectPubSub(subscriptionClient);
          subscriptionClient.addListener(new SubscriptionWatch(subscription));
          subscription.addListener(
              new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                  fromChannel(message);
                }

                @Override
                public void message(String channel, String message) {
                  if (heartbeatChannel.equals(channel)) {
                    heartbeatReturned(Link.this, message);
                  }
                }
              });
          subscription.sync().subscribe(heartbeatChannel);
          subscription.sync().psubscribe(CHANNEL_PATTERN);
        } else {
          subscription = null;
          shard = null;
        }
        byDigest = loadPublishScript(commands);
        if (reader != null) {
          reader.start(now);
        } else {
          filler.start();
        }
      } catch (RuntimeException e) {
        for (AbstractRedisClient client : made) {
          client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        throw e;
      }
    }

    /** A message heard on the channel: in the log's order if it is one of this log's events. */
    void fromChannel(String message) {
      LogPosition position = LogPosition.of(message);
      if (position == null) {
        handOver(message); // a plain publisher's
      } else if (position.key().equals(streamKey)) {
        sequencer.fromChannel(position);
      } else {
        handOver(position.message()); // another log's (another namespace or key prefix)
      }
    }

    boolean logHealthy() {
      return reader != null ? reader.healthy() : filler.healthy();
    }

    void close() {
      if (reader != null) {
        reader.stop();
      } else {
        filler.stop();
      }
      if (subscription != null) {
        subscription.close();
      }
      if (shard != null) {
        shard.close();
      }
      if (subscriptionClient != null) {
        subscriptionClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      commands.owner.close();
      logConnections.owner.close();
      commandClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      logClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Starts a builder for a bus at {@code uri} carrying the events of group {@code namespace}. */
  public static RedisBusBuilder builder(String uri, String namespace) {
    return new RedisBusBuilder(uri, namespace);
  }

  /**
   * Starts a builder for a bus at {@code uri} to hand to a group, which opens it for its own name
   * and closes it with itself: {@code CacheGroup.builder("shop").bus(RedisBus.builder(uri))}.
   */
  public static RedisBusBuilder builder(String uri) {
    return new RedisBusBuilder(uri, null);
  }

  @Override
  public String serverName() {
    return "Redis";
  }

  @Override
  public String namespace() {
    return settings.namespace();
  }

  RedisBus(BusSettings settings) {
    this.settings = settings;
    this.streamKey = settings.keyPrefix() + ":{" + settings.namespace() + "}:log";
    this.seqKey = settings.keyPrefix() + ":{" + settings.namespace() + "}:seq";
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.token = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    this.heartbeatChannel = settings.keyPrefix() + ":{" + settings.namespace() + "}:hb:" + token;
    this.probeChannel = settings.keyPrefix() + ":{" + settings.namespace() + "}:probe";
    this.sharded = settings.channelDelivery() == ChannelDelivery.SHARDED;
    this.shardedChannel = shardedChannel(settings.namespace());
    this.publishScript = new Script(sharded ? SPUBLISH : PUBLISH, ScriptOutputType.INTEGER);
    this.heartbeatScript = new Script(sharded ? SHEARTBEAT : HEARTBEAT, ScriptOutputType.INTEGER);
    this.batchScript =
        new Script(batchScript(sharded ? "SPUBLISH" : "PUBLISH"), ScriptOutputType.INTEGER);
    this.boundNanos = settings.stalenessBound().toNanos();
    this.heartbeatNanos = boundNanos / 4;
    this.resources = new Resources(settings.clientResources());
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "freshcache-bus-heartbeat-" + settings.namespace());
              t.setDaemon(true);
              return t;
            });
    long now = System.nanoTime();
    try {
      trustedUntil = now - 1; // vouched for by a proof, not granted: see awaitFirstProof
      try {
        attach(now);
      } catch (RuntimeException first) {
        if (!Settings.closedDuringHandshake(first)) {
          throw first;
        }
        attach(now); // a refusal or an outage: the second attempt says which
      }
      awaitFirstProof();
    } catch (RuntimeException e) {
      boolean refused = Settings.refused(e, settings.uri());
      if (settings.failFast() || refused) {
        heartbeat.shutdownNow();
        resources.shutdownIfOwned();
        throw Settings.connectFailure("invalidation bus", settings.uri(), e, refused);
      }
      trustedUntil = now - 1;
      log.warn(
          "bus '{}': Redis at {} cannot be reached ({}); starting detached: local hits are"
              + " suspended and invalidations wait in the outbox until it answers. Trying to"
              + " attach once a second",
          settings.namespace(),
          where(),
          Settings.rootCause(e));
      heartbeat.schedule(this::attachLate, ATTACH_RETRY_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  /** Connects, subscribes and starts the heartbeat. */
  private void attach(long now) {
    channelCaughtUpAt = now - boundNanos; // no proof yet: the first heartbeat brings one
    Link made = new Link(now - boundNanos);
    this.link = made;
    if (made.subscription != null) {
      subscriptionId = subscriptionId(made.subscription);
    }
    heartbeat.scheduleAtFixedRate(this::beat, 0, heartbeatNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Waits (at most the command timeout) for the first proofs of both paths, so the bus starts
   * vouched for by a heartbeat that came back rather than by a grant that a cold JVM, still loading
   * the classes of its first heartbeat, might outlive. If none comes in time the bus starts
   * untrusted and trusts as soon as one does.
   */
  private void awaitFirstProof() {
    long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
    while (!isLive() && System.nanoTime() - deadline < 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    if (!isLive()) {
      log.debug("bus '{}': no proof of delivery yet; starting untrusted", settings.namespace());
    }
  }

  /** A detached bus's try to attach; schedules the next one if Redis still does not answer. */
  private void attachLate() {
    if (closed) {
      return;
    }
    try {
      attach(System.nanoTime());
    } catch (RuntimeException e) {
      log.debug(
          "bus '{}': Redis at {} still cannot be reached: {}", settings.namespace(), where(), e);
      heartbeat.schedule(this::attachLate, ATTACH_RETRY_NANOS, TimeUnit.NANOSECONDS);
      return;
    }
    log.info("bus '{}': attached to Redis at {}", settings.namespace(), where());
    // Whatever the receivers loaded while detached may have been invalidated meanwhile.
    reportLoss(
        "the bus attached to Redis only now: events published while it could not reach Redis"
            + " were never heard");
  }

  private String where() {
    return Settings.where(settings.uri());
  }

  private AbstractRedisClient client(String role, Duration timeout) {
    return Connections.client(
        resources.get(),
        settings.uri(),
        settings.sslOptions(),
        settings.cluster(),
        settings.clientName() + "-" + role,
        timeout,
        options ->
            options
                .requestQueueSize(100_000)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS));
  }

  // ---------------------------------------------------------------- InvalidationBus

  /**
   * {@inheritDoc}
   *
   * <p>One script numbers the event, appends it to the log and publishes it on its channel; the
   * future completes with Redis's reply, so once it has, the event is in Redis and reaches every
   * instance whatever happens to this process. It fails if Redis does not answer within the command
   * timeout or cannot be reached; the cache group then keeps the event in its outbox and sends it
   * again. Failures are counted ({@link #publishFailures}) and logged at DEBUG: the group says what
   * they mean for the fleet.
   */
  @Override
  public CompletableFuture<Void> publish(String eventType, String message) {
    Link current = linkToPublishOn();
    if (current == null) {
      return notAttached();
    }
    boolean byDigest = current.byDigest;
    String[] keys = {streamKey, seqKey};
    String channel = sharded ? shardedChannel : CHANNEL_PREFIX + eventType;
    String maxLength = Long.toString(settings.streamMaxLength());
    CompletableFuture<Long> sent =
        (byDigest
                ? current.commands.scripting.<Long>evalsha(
                    publishScript.digest(),
                    ScriptOutputType.INTEGER,
                    keys,
                    message,
                    channel,
                    maxLength)
                : current.commands.scripting.<Long>eval(
                    sharded ? SPUBLISH : PUBLISH,
                    ScriptOutputType.INTEGER,
                    keys,
                    message,
                    channel,
                    maxLength))
            .toCompletableFuture();
    inFlight.add(sent);
    return sent.handle(
        (receivers, failure) -> {
          inFlight.remove(sent);
          if (failure != null) {
            if (byDigest && isNoScript(failure)) {
              current.byDigest = false; // this event fails (the group sends it again); no reorder
            }
            throw publishFailed("a " + eventType + " event", failure);
          }
          return null;
        });
  }

  /** The link events go out on; null while the bus is detached. */
  private Link linkToPublishOn() {
    if (closed) {
      throw new IllegalStateException("the Redis bus of '" + settings.namespace() + "' is closed");
    }
    return link;
  }

  /** What a publish on a detached bus returns: a failure, counted. */
  private <T> CompletableFuture<T> notAttached() {
    publishFailures.increment();
    return CompletableFuture.failedFuture(
        new IllegalStateException(
            "the bus of '" + settings.namespace() + "' is not attached to Redis at " + where()));
  }

  /** Counts and logs (DEBUG) a publish that failed; the exception to complete its future with. */
  private java.util.concurrent.CompletionException publishFailed(String what, Throwable failure) {
    publishFailures.increment();
    log.debug("bus '{}': could not publish {}: {}", settings.namespace(), what, failure.toString());
    return failure instanceof java.util.concurrent.CompletionException c
        ? c
        : new java.util.concurrent.CompletionException(failure);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One script appends and publishes them all, in order: one round trip for the backlog, and all
   * or nothing (the future completes with all of them, or fails and none was published — unless
   * Redis ran the script after the command timeout gave up on it, after which the group sends them
   * again: at least once).
   */
  @Override
  public CompletableFuture<Integer> publishInOrder(List<String> eventTypes, List<String> messages) {
    if (eventTypes.size() != messages.size()) {
      throw new IllegalArgumentException(
          eventTypes.size() + " event types for " + messages.size() + " messages");
    }
    Link current = linkToPublishOn();
    if (current == null) {
      return notAttached();
    }
    String[] args = new String[1 + 2 * messages.size()];
    args[0] = Long.toString(settings.streamMaxLength());
    for (int i = 0; i < messages.size(); i++) {
      args[1 + 2 * i] = sharded ? shardedChannel : CHANNEL_PREFIX + eventTypes.get(i);
      args[2 + 2 * i] = messages.get(i);
    }
    CompletableFuture<Long> sent =
        batchScript.runWithText(current.commands.scripting, new String[] {streamKey, seqKey}, args);
    inFlight.add(sent);
    return sent.handle(
        (published, failure) -> {
          inFlight.remove(sent);
          if (failure != null) {
            throw publishFailed("a backlog of " + messages.size() + " events", failure);
          }
          return messages.size();
        });
  }

  /**
   * Loads the publish script on the node that owns the namespace's slot and waits (bounded); false
   * if Redis would not (a user without {@code script|load}): events then go as text.
   */
  private boolean loadPublishScript(Connections<String> commands) {
    try {
      publishScript
          .preload(commands.node().async())
          .get(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
      if (settings.channelDelivery() != ChannelDelivery.OFF) {
        heartbeatScript
            .preload(commands.node().async())
            .get(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
      }
      batchScript
          .preload(commands.node().async())
          .get(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.debug(
          "bus '{}': could not load the publish script ({}); publishing it as text",
          settings.namespace(),
          e.toString());
      return false;
    }
  }

  private static boolean isNoScript(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof io.lettuce.core.RedisNoScriptException) {
        return true;
      }
    }
    return false;
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
      throw new IllegalStateException("the Redis bus of '" + settings.namespace() + "' is closed");
    }
    SerialReceiver attached = new SerialReceiver(receiver);
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
    if (!flush(settings.commandTimeout())) {
      log.warn(
          "bus '{}': closing with {} events still unconfirmed by Redis",
          settings.namespace(),
          inFlight.size());
    }
    heartbeat.shutdownNow();
    Link current = link;
    if (current != null) {
      current.close();
    }
    resources.shutdownIfOwned();
  }

  /** The resources the bus's clients run on (for tests). */
  ClientResources resources() {
    return resources.get();
  }

  /** Events this bus failed to publish (the cache group sent them again). */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Heartbeats that came back through the subscription: each one a proof of delivery. */
  public long heartbeats() {
    return heartbeats.sum();
  }

  /** Whether the bus is attached to Redis (it may start detached: see {@link RedisBus}). */
  public boolean isAttached() {
    return link != null;
  }

  /** Whether the bus vouches, now, that it has delivered everything published δ ago. */
  public boolean isLive() {
    return System.nanoTime() - trustedUntil < 0;
  }

  /** The CLIENT SETNAME of this bus's connections: the prefix, then -pub, -sub or -log. */
  public String clientName() {
    return settings.clientName();
  }

  /**
   * The sharded channel of {@code namespace}, {@code cache:invalidation:{<namespace>}}: where a bus
   * in {@link ChannelDelivery#SHARDED} mode publishes (SPUBLISH) and listens (SSUBSCRIBE). It
   * carries the namespace as its hash tag, as the bus's stream does, so both live on one shard.
   */
  public static String shardedChannel(String namespace) {
    return CHANNEL_PREFIX + "{" + Settings.name(namespace, "namespace") + "}";
  }

  /** The node the sharded subscription is on, or null (not sharded, or between owners). */
  String shardNodeId() {
    Link current = link;
    return current == null || current.shard == null ? null : current.shard.nodeId();
  }

  /** The Redis key of the durable log. */
  public String streamKey() {
    return streamKey;
  }

  /**
   * The key of the namespace's event count, {@code <prefix>:{<namespace>}:seq}: the publish script
   * numbers every event with it, heartbeats carry it. Like the stream it outlives the bus; delete
   * both when a namespace is retired.
   */
  public String sequenceKey() {
    return seqKey;
  }

  @Override
  public String toString() {
    return "RedisBus["
        + settings.uri().getHost()
        + ":"
        + settings.uri().getPort()
        + ", "
        + streamKey
        + "]";
  }

  // ---------------------------------------------------------------- delivery and liveness

  private void handOver(String message) {
    delivered.increment();
    for (SerialReceiver attached : receivers) {
      attached.onMessage(message);
    }
  }

  private void reportLoss(String reason) {
    log.warn("bus '{}': {}", settings.namespace(), reason);
    for (SerialReceiver attached : receivers) {
      attached.onLoss(reason);
    }
  }

  /** Something is wrong: stop trusting local state now, not at the deadline. */
  private void distrust() {
    pushTrust(System.nanoTime() - 1);
  }

  private synchronized void extendTrust() {
    Link current = link;
    if (current == null
        || !current.logHealthy()
        || (current.subscription != null && (!channelConnected || channelLossPending.get()))
        || (current.shard != null && !current.shard.subscribed())) {
      return;
    }
    // On the stream alone, its reader's probes prove delivery; with the channel, the heartbeats
    // do, each once the sequencer has handed over every event the log had when it was sent, and
    // on a cluster no later than the filler last found its node owning the log's slot (after a
    // failover the new owner's sequence may number new events as the lost ones were).
    long caughtUp = channelCaughtUpAt;
    if (current.reader != null) {
      caughtUp = current.reader.caughtUpAt();
    } else if (current.filler.ownerCheckedAt() - caughtUp < 0) {
      caughtUp = current.filler.ownerCheckedAt();
    }
    long deadline = caughtUp + boundNanos;
    if (deadline - trustedUntil > 0) {
      pushTrust(deadline);
    }
  }

  private synchronized void pushTrust(long deadline) {
    trustedUntil = deadline;
    for (SerialReceiver attached : receivers) {
      attached.trustUntil(deadline);
    }
  }

  private static Long subscriptionId(StatefulRedisPubSubConnection<String, String> subscription) {
    try {
      return subscription.sync().clientId();
    } catch (RuntimeException notInSubscribedMode) {
      return null; // RESP2 allows only PING on a subscribed connection: rely on disconnect events
    }
  }

  private void beat() {
    Link current = link;
    if (current != null && current.shard != null) {
      beatSharded(current);
      return;
    }
    if (current == null || current.subscription == null || !channelConnected) {
      return;
    }
    StatefulRedisPubSubConnection<String, String> subscription = current.subscription;
    try {
      long sent = System.nanoTime();
      if (channelLossPending.get()) {
        // Subscribe again ourselves: the probe below follows it on the connection, so its reply
        // proves the pattern is back before the loss is reported.
        subscription.async().subscribe(heartbeatChannel);
        subscription.async().psubscribe(CHANNEL_PATTERN);
      }
      if (subscriptionId == null) {
        subscription.async().ping().whenComplete((pong, failure) -> probed(null, failure));
      } else {
        subscription.async().clientId().whenComplete((id, failure) -> probed(id, failure));
      }
      // The proof itself: out on the events' connection, back on their subscription.
      sendHeartbeat(current, sent);
    } catch (RuntimeException e) {
      log.debug("bus '{}': heartbeat failed: {}", settings.namespace(), e.toString());
    }
  }

  /**
   * The sharded heartbeat: the subscription first makes sure it is on the slot's owner (looking
   * again if heartbeats stopped coming back for δ), then the proof goes out on the events'
   * connection with SPUBLISH (held, as the events' script is, by a node that holds writes) and
   * comes back on their sharded subscription.
   */
  private void beatSharded(Link current) {
    try {
      long sent = System.nanoTime();
      current.shard.check(sent - channelCaughtUpAt > boundNanos);
      sendHeartbeat(current, sent);
    } catch (RuntimeException e) {
      log.debug("bus '{}': heartbeat failed: {}", settings.namespace(), e.toString());
    }
  }

  /**
   * Publishes the heartbeat {@code <token>:<sent>:<sequence>} in a script, which a Redis that holds
   * writes holds as it holds the events' script, and which reads the namespace's sequence in the
   * same step as it publishes.
   */
  private void sendHeartbeat(Link current, long sent) {
    heartbeatScript.runWithText(
        current.commands.scripting, new String[] {seqKey}, heartbeatChannel, token + ":" + sent);
  }

  /** The subscription answered a probe: is it still the connection we subscribed? */
  private void probed(Long id, Throwable failure) {
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
  }

  /**
   * A heartbeat of ours came back: everything Redis published before it has reached us, and once
   * the sequencer has handed over the events up to the sequence it carries, delivered.
   */
  private void heartbeatReturned(Link current, String message) {
    int colon = message.indexOf(':');
    int second = message.indexOf(':', colon + 1);
    if (colon < 0 || second < 0 || !token.equals(message.substring(0, colon))) {
      return;
    }
    long sent;
    long sequence;
    try {
      sent = Long.parseLong(message, colon + 1, second, 10);
      sequence = Long.parseLong(message, second + 1, message.length(), 10);
    } catch (NumberFormatException e) {
      return;
    }
    heartbeats.increment();
    current.sequencer.heartbeat(sent, sequence);
  }

  /** Where the sequencer hands this namespace's events, proofs and losses. */
  private final class Ordered implements Sequencer.Output {
    @Override
    public void deliver(String message) {
      handOver(message);
    }

    @Override
    public void caughtUp(long sentAt) {
      if (sentAt - channelCaughtUpAt > 0) {
        channelCaughtUpAt = sentAt;
      }
      extendTrust();
    }

    @Override
    public void lost(String reason) {
      reportLoss(reason);
    }
  }

  /** What the stream reader reports: its entries, its proofs, its failures and losses. */
  private final class StreamEvents implements StreamReader.Listener {
    @Override
    public void message(String message) {
      handOver(message);
    }

    /** The reader proved it caught up: maybe move the deadline on. */
    @Override
    public void caughtUp() {
      extendTrust();
    }

    @Override
    public void readFailed() {
      distrust();
    }

    @Override
    public void loss(String reason) {
      reportLoss(reason);
    }
  }

  /** What the sharded subscription hears: events, heartbeats, and its end on a node. */
  private final class ShardEvents implements ShardedSubscription.Listener {
    private final Link link;

    ShardEvents(Link link) {
      this.link = link;
    }

    @Override
    public void message(String channel, String message) {
      if (shardedChannel.equals(channel)) {
        link.fromChannel(message);
      } else if (heartbeatChannel.equals(channel)) {
        heartbeatReturned(link, message);
      }
    }

    /**
     * Not a loss: every freshcache event is numbered and in the stream; once subscribed again, the
     * first event or heartbeat past a missed number has the log read to fill the gap.
     */
    @Override
    public void ended(String nodeId) {
      if (closed) {
        return;
      }
      log.info(
          "bus '{}': node {} ended the sharded subscription (its slot moved); subscribing on the"
              + " new owner",
          settings.namespace(),
          nodeId);
      distrust();
    }
  }

  /** Watches the subscription connection: a drop suspends at once and means a loss. */
  private final class SubscriptionWatch implements RedisConnectionStateListener {
    private final StatefulRedisPubSubConnection<String, String> subscription;

    SubscriptionWatch(StatefulRedisPubSubConnection<String, String> subscription) {
      this.subscription = subscription;
    }

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
