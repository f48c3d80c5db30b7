package io.freshcache.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.freshcache.event.EventCodec;
import io.freshcache.event.EventTypes;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SerialReceiver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation bus on RabbitMQ, for a fleet of instances.
 *
 * <p><b>Wire.</b> Every event is published, as the plain JSON of the wire format, on the topic
 * exchange named for the namespace ({@code freshcache.shop} by default), with the event type as
 * routing key ({@code user.updated}). Each instance reads from a queue of its own (server-named,
 * exclusive, gone when its connection is) bound with {@code #}: a publisher in any language that
 * publishes the plain format on the exchange reaches every instance, and other consumers may bind
 * their own queues with wildcards ({@code user.*}, {@code product.#}). Heartbeats travel the same
 * exchange with the routing key {@value #HEARTBEAT_KEY}: bind event types, not {@code #}, to skip
 * them.
 *
 * <p><b>Nothing lost silently.</b> The bus reports a loss (the group clears its caches) whenever
 * events may have been published that its queue never held or dropped unread:
 *
 * <ul>
 *   <li>its connection or a channel closed (a broker restart, a cut connection, a channel error):
 *       the queue went with it, so the bus reconnects with a new queue and reports the loss before
 *       it consumes anything from it;
 *   <li>its queue was deleted (the broker cancels the consumer): the same;
 *   <li>its queue overflowed ({@link RabbitBusBuilder#queueMaxLength}): the broker drops the oldest
 *       unread events into a second queue of the instance, and each one dropped is a loss;
 *   <li>a publisher's sequence skipped: every freshcache publisher numbers what it sends on its
 *       channel (headers {@value #PUBLISHER_HEADER} and {@value #SEQUENCE_HEADER}), and a number
 *       missing is a loss, reported before the message that revealed it.
 * </ul>
 *
 * <p><b>Bounded staleness.</b> Every quarter of δ the bus publishes a heartbeat on the exchange,
 * from the channel its events go out on; it returns through its own queue, behind everything the
 * queue held before it. Its return proves that every event the broker routed before the heartbeat
 * has been delivered, and the bus hands its receivers a deadline δ after the heartbeat was sent. A
 * stalled broker, a dead connection, a blocked publisher (a memory alarm) or a slow consumer with a
 * backlog all delay the heartbeat, so the deadline passes and the instance stops serving local hits
 * until it catches up. Every instance's queue receives every instance's heartbeats (it is bound
 * with {@code #}) and drops the others' unread: 4N/δ heartbeats a second are delivered to each of N
 * instances, which bounds the fleet a namespace can have at a given δ.
 *
 * <p><b>Why a queue, not a RabbitMQ stream.</b> A stream per namespace would let an instance replay
 * what it missed after a reconnection instead of clearing its caches, at the cost of a log with its
 * own retention on the broker and a stream protocol client beside AMQP. The bus keeps the simpler
 * model, a queue that lives and dies with the instance's connection, and turns every way it can
 * lose into a reported loss; a fleet that needs replay has the Kafka bus.
 *
 * <p><b>Publishing</b> returns a future that completes when the broker confirms the event
 * (publisher confirms: it was routed to every bound queue); it fails if the broker refuses it, the
 * connection drops first, or no confirm comes within {@link RabbitBusBuilder#publishTimeout}. A
 * publish that fails is the cache group's to send again (its outbox). Events leave in the order
 * {@code publish} was called, from one thread, so a caller never blocks on the broker.
 *
 * <p><b>Bad messages.</b> A message longer than the wire format allows, or that is not UTF-8, is
 * refused unread (counted in {@link #refused()}, logged once); the group refuses the rest of what
 * is malformed.
 *
 * <p><b>Starting without the broker.</b> If the broker cannot be reached when the bus is built, the
 * bus starts detached (unless {@link RabbitBusBuilder#failFast}): nothing is trusted, publishes
 * fail (the group keeps them), and the bus tries to attach once a second, reporting a loss when it
 * does. A broker that refuses the bus (credentials, vhost access, an exchange of that name of
 * another type) fails the build either way.
 *
 * <p>Thread-safe. Receivers are called one call at a time each.
 */
public final class RabbitBus implements InvalidationBus {

  private static final Logger log = LoggerFactory.getLogger(RabbitBus.class);

  /** The routing key of heartbeats. */
  public static final String HEARTBEAT_KEY = "freshcache.heartbeat";

  /** The header naming the publishing channel of a freshcache publisher. */
  public static final String PUBLISHER_HEADER = "freshcache-publisher";

  /** The header numbering what one publishing channel sent, from 1. */
  public static final String SEQUENCE_HEADER = "freshcache-seq";

  /** The header marking a heartbeat; its value is the sender's clock when it was sent. */
  static final String HEARTBEAT_HEADER = "freshcache-heartbeat";

  /** The longest body a valid message can have: three UTF-8 bytes per char at most. */
  static final int MAX_BODY_BYTES = 3 * EventCodec.MAX_MESSAGE_CHARS;

  private static final long ATTACH_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int PREFETCH = 256;

  private final RabbitSettings settings;
  private final String token;
  private final long boundNanos;
  private final long heartbeatNanos;
  private final List<SerialReceiver> receivers = new CopyOnWriteArrayList<>();
  private final Sequences sequences = new Sequences(10_000);
  private final ScheduledExecutorService scheduler;
  private final ExecutorService publisher;
  private final AtomicBoolean heartbeatQueued = new AtomicBoolean();
  private final AtomicLong epochs = new AtomicLong();
  private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder losses = new LongAdder();
  private final LongAdder heartbeats = new LongAdder();
  private final AtomicBoolean refusalLogged = new AtomicBoolean();

  private volatile Link link;
  private volatile long caughtUpAt;
  private volatile long trustedUntil;
  private volatile boolean closed;

  /** Starts a builder for a bus at {@code uri} carrying the events of group {@code namespace}. */
  public static RabbitBusBuilder builder(String uri, String namespace) {
    return new RabbitBusBuilder(uri, namespace);
  }

  /**
   * Starts a builder for a bus at {@code uri} to hand to a group, which opens it for its own name
   * and closes it with itself: {@code CacheGroup.builder("shop").bus(RabbitBus.builder(uri))}.
   */
  public static RabbitBusBuilder builder(String uri) {
    return new RabbitBusBuilder(uri, null);
  }

  RabbitBus(RabbitSettings settings) {
    this.settings = settings;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.token = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    this.boundNanos = settings.stalenessBound().toNanos();
    this.heartbeatNanos = boundNanos / 4;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            daemon("freshcache-rabbit-" + settings.namespace()));
    this.publisher =
        Executors.newSingleThreadExecutor(
            daemon("freshcache-rabbit-publish-" + settings.namespace()));
    long now = System.nanoTime();
    trustedUntil = now - 1;
    caughtUpAt = now - boundNanos;
    scheduler.scheduleAtFixedRate(this::tick, 0, heartbeatNanos, TimeUnit.NANOSECONDS);
    try {
      attach(null);
      awaitFirstProof();
    } catch (RuntimeException e) {
      boolean refusal = e instanceof Refused;
      if (settings.failFast() || refusal) {
        scheduler.shutdownNow();
        publisher.shutdownNow();
        throw new IllegalStateException(
            "could not connect the invalidation bus to RabbitMQ at "
                + settings.where()
                + ": "
                + rootCause(e)
                + (refusal ? "" : " (or build it without .failFast(true) to start detached)"),
            e);
      }
      log.warn(
          "bus '{}': RabbitMQ at {} cannot be reached ({}); starting detached: local hits are"
              + " suspended and invalidations wait in the outbox until it answers. Trying to"
              + " attach once a second",
          settings.namespace(),
          settings.where(),
          rootCause(e));
      scheduler.schedule(this::attachLate, ATTACH_RETRY_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  // ---------------------------------------------------------------- the link

  /** A failure the broker answered with: waiting will not mend it. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One connection to the broker, with the queues it owns; replaced whole when it breaks. */
  private final class Link {
    final Connection connection;
    final Channel publishing;
    final Channel consuming;
    final String queue;
    final String drops;
    final String publisherId;
    final ConcurrentNavigableMap<Long, Pending> confirms = new ConcurrentSkipListMap<>();
    volatile boolean broken;

    Link(Connection connection, Channel publishing, Channel consuming, String queue, String drops) {
      this.connection = connection;
      this.publishing = publishing;
      this.consuming = consuming;
      this.queue = queue;
      this.drops = drops;
      this.publisherId = token + "-" + epochs.incrementAndGet();
    }

    void abort() {
      try {
        connection.abort(2_000);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
  }

  /** A publish waiting for the broker's confirm. */
  private record Pending(CompletableFuture<Void> future, long sentAt) {}

  /**
   * Connects, declares the exchange and this instance's queues, and starts consuming; {@code
   * lossReason}, if not null, is reported before anything is consumed.
   */
  private void attach(String lossReason) {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(settings.uri());
    } catch (Exception e) {
      throw new IllegalArgumentException("not an AMQP URI: " + e.getMessage(), e);
    }
    factory.setAutomaticRecoveryEnabled(false); // the bus reconnects itself: a new queue is a loss
    factory.setTopologyRecoveryEnabled(false);
    int timeoutMillis = (int) Math.max(1, settings.publishTimeout().toMillis());
    factory.setConnectionTimeout(timeoutMillis);
    factory.setHandshakeTimeout(timeoutMillis);
    factory.setRequestedHeartbeat(5);
    Connection connection;
    try {
      connection = factory.newConnection(settings.connectionName());
    } catch (com.rabbitmq.client.AuthenticationFailureException e) {
      throw new Refused(
          "the broker refused the credentials in the URI (" + e.getMessage() + ")", e);
    } catch (IOException | TimeoutException e) {
      if (isRefusal(e)) {
        throw new Refused("the broker refused the connection: " + rootCause(e), e);
      }
      throw new IllegalStateException("cannot connect: " + rootCause(e), e);
    }
    try {
      Channel publishing = connection.createChannel();
      publishing.confirmSelect();
      try {
        publishing.exchangeDeclare(
            settings.exchange(), BuiltinExchangeType.TOPIC, true, false, null);
      } catch (IOException e) {
        throw new Refused(
            "could not declare the topic exchange '"
                + settings.exchange()
                + "' ("
                + rootCause(e)
                + "): an exchange of that name but another type or settings exists; delete it"
                + " or choose another exchangePrefix",
            e);
      }
      Channel consuming = connection.createChannel();
      consuming.basicQos(PREFETCH);
      String drops = consuming.queueDeclare("", false, true, true, null).getQueue();
      String queue =
          consuming
              .queueDeclare(
                  "",
                  false,
                  true,
                  true,
                  Map.of(
                      "x-max-length",
                      settings.queueMaxLength(),
                      "x-overflow",
                      "drop-head",
                      "x-dead-letter-exchange",
                      "",
                      "x-dead-letter-routing-key",
                      drops))
              .getQueue();
      consuming.queueBind(queue, settings.exchange(), "#");
      Link made = new Link(connection, publishing, consuming, queue, drops);
      publishing.addConfirmListener(
          (tag, multiple) -> confirmed(made, tag, multiple, null),
          (tag, multiple) -> confirmed(made, tag, multiple, "the broker refused the event (nack)"));
      connection.addShutdownListener(cause -> broken(made, describe(cause)));
      publishing.addShutdownListener(cause -> broken(made, describe(cause)));
      consuming.addShutdownListener(cause -> broken(made, describe(cause)));
      sequences.reset();
      link = made;
      if (lossReason != null) {
        reportLoss(lossReason); // before anything of the new queue is delivered
      }
      consuming.basicConsume(drops, false, new DropsConsumer(made));
      consuming.basicConsume(queue, false, new EventConsumer(made));
    } catch (IOException | RuntimeException e) {
      link = null;
      try {
        connection.abort(2_000);
      } catch (RuntimeException ignored) {
        // closing what failed
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot set up the bus: " + rootCause(e), e);
    }
  }

  /**
   * Waits (at most the publish timeout) for the first heartbeat back, so the bus starts trusted.
   */
  private void awaitFirstProof() {
    long deadline = System.nanoTime() + settings.publishTimeout().toNanos();
    while (!isLive() && System.nanoTime() - deadline < 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    if (!isLive()) {
      log.debug("bus '{}': no heartbeat back yet; starting untrusted", settings.namespace());
    }
  }

  private void attachLate() {
    if (closed || link != null) {
      return;
    }
    try {
      attach(
          "the bus attached to RabbitMQ only now: events published while it had no queue were"
              + " never heard");
    } catch (RuntimeException e) {
      log.debug("bus '{}': RabbitMQ still cannot be reached: {}", settings.namespace(), e);
      scheduler.schedule(this::attachLate, ATTACH_RETRY_NANOS, TimeUnit.NANOSECONDS);
      return;
    }
    log.info("bus '{}': attached to RabbitMQ at {}", settings.namespace(), settings.where());
  }

  /** The link broke: stop trusting, fail what waits for a confirm, and attach again. */
  private void broken(Link broken, String why) {
    synchronized (broken) {
      if (broken.broken) {
        return;
      }
      broken.broken = true;
    }
    if (closed) {
      return;
    }
    distrust();
    failPending(broken, "the connection to RabbitMQ broke before the broker confirmed: " + why);
    log.warn(
        "bus '{}': lost its connection or queue at {} ({}); attaching again",
        settings.namespace(),
        settings.where(),
        why);
    try {
      scheduler.execute(
          () -> {
            broken.abort();
            if (link == broken) {
              link = null;
            }
            attachAgain(broken.queue);
          });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the bus is closing
    }
  }

  private void attachAgain(String oldQueue) {
    if (closed || link != null) {
      return;
    }
    try {
      attach(
          "the bus's queue "
              + oldQueue
              + " is gone (connection, channel or queue lost): events published before its new"
              + " queue was bound may never have reached this instance");
    } catch (RuntimeException e) {
      log.debug("bus '{}': cannot attach again yet: {}", settings.namespace(), e.toString());
      scheduler.schedule(() -> attachAgain(oldQueue), ATTACH_RETRY_NANOS, TimeUnit.NANOSECONDS);
      return;
    }
    log.info("bus '{}': attached again to RabbitMQ at {}", settings.namespace(), settings.where());
  }

  private static String describe(ShutdownSignalException cause) {
    Object reason = cause.getReason();
    if (reason instanceof AMQP.Connection.Close close) {
      return "connection closed by the broker: "
          + close.getReplyCode()
          + " "
          + close.getReplyText();
    }
    if (reason instanceof AMQP.Channel.Close close) {
      return "channel closed by the broker: " + close.getReplyCode() + " " + close.getReplyText();
    }
    return cause.getMessage();
  }

  private static boolean isRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof com.rabbitmq.client.PossibleAuthenticationFailureException) {
        return true;
      }
      if (t instanceof ShutdownSignalException s
          && s.getReason() instanceof AMQP.Connection.Close close
          && (close.getReplyCode() == 530 || close.getReplyCode() == 403)) {
        return true; // NOT_ALLOWED (no access to the vhost), ACCESS_REFUSED
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String own = e.getMessage() == null ? e.toString() : e.getMessage();
    return root == e ? own : own + ": " + root;
  }

  // ---------------------------------------------------------------- InvalidationBus

  @Override
  public String serverName() {
    return "RabbitMQ";
  }

  @Override
  public String namespace() {
    return settings.namespace();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The event goes out on the namespace's exchange with {@code eventType} as routing key; the
   * future completes on the broker's confirm.
   *
   * @throws IllegalArgumentException if {@code eventType} is not a valid event type
   */
  @Override
  public CompletableFuture<Void> publish(String eventType, String message) {
    if (closed) {
      throw new IllegalStateException(
          "the RabbitMQ bus of '" + settings.namespace() + "' is closed");
    }
    EventTypes.requireValid(eventType);
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    CompletableFuture<Void> future = new CompletableFuture<>();
    Link current = link;
    if (current == null || current.broken) {
      publishFailures.increment();
      future.completeExceptionally(
          new IllegalStateException(
              "the bus of '"
                  + settings.namespace()
                  + "' is not attached to RabbitMQ at "
                  + settings.where()));
      return future;
    }
    inFlight.add(future);
    future.whenComplete((ok, failure) -> inFlight.remove(future));
    try {
      publisher.execute(() -> send(current, eventType, body, future, null));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      fail(future, new IllegalStateException("the bus is closing", e));
    }
    return future;
  }

  /** Runs on the publishing thread: one channel, one order. */
  private void send(
      Link current, String routingKey, byte[] body, CompletableFuture<Void> future, Long beat) {
    if (current.broken || current != link) {
      if (future != null) {
        fail(future, new IllegalStateException("the connection to RabbitMQ broke; not sent"));
      }
      return;
    }
    Channel channel = current.publishing;
    long seq = channel.getNextPublishSeqNo();
    Map<String, Object> headers =
        beat == null
            ? Map.of(PUBLISHER_HEADER, current.publisherId, SEQUENCE_HEADER, seq)
            : Map.of(
                PUBLISHER_HEADER,
                current.publisherId,
                SEQUENCE_HEADER,
                seq,
                HEARTBEAT_HEADER,
                beat);
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .contentType(beat == null ? "application/json" : "text/plain")
            .contentEncoding("utf-8")
            .headers(headers)
            .build();
    if (future != null) {
      current.confirms.put(seq, new Pending(future, System.nanoTime()));
    }
    try {
      channel.basicPublish(settings.exchange(), routingKey, false, properties, body);
    } catch (IOException | RuntimeException e) {
      Pending pending = current.confirms.remove(seq);
      if (pending != null) {
        fail(pending.future(), e);
      }
    }
  }

  private void confirmed(Link from, long tag, boolean multiple, String refusal) {
    if (multiple) {
      ConcurrentNavigableMap<Long, Pending> done = from.confirms.headMap(tag, true);
      for (Long seq : done.keySet()) {
        Pending pending = done.remove(seq);
        if (pending != null) {
          settle(pending, refusal);
        }
      }
    } else {
      Pending pending = from.confirms.remove(tag);
      if (pending != null) {
        settle(pending, refusal);
      }
    }
  }

  private void settle(Pending pending, String refusal) {
    if (refusal == null) {
      pending.future().complete(null);
    } else {
      fail(pending.future(), new IllegalStateException(refusal));
    }
  }

  private void fail(CompletableFuture<Void> future, Throwable failure) {
    if (future.completeExceptionally(failure)) {
      publishFailures.increment();
      log.debug("bus '{}': a publish failed: {}", settings.namespace(), failure.toString());
    }
  }

  private void failPending(Link from, String why) {
    for (Long seq : from.confirms.keySet()) {
      Pending pending = from.confirms.remove(seq);
      if (pending != null) {
        fail(pending.future(), new IllegalStateException(why));
      }
    }
  }

  @Override
  public Subscription subscribe(Receiver receiver) {
    if (closed) {
      throw new IllegalStateException(
          "the RabbitMQ bus of '" + settings.namespace() + "' is closed");
    }
    SerialReceiver attached = new SerialReceiver(receiver);
    receivers.add(attached);
    attached.trustUntil(trustedUntil);
    return () -> receivers.remove(attached);
  }

  /**
   * Waits until every event published so far has been confirmed (or failed), for at most {@code
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
    for (CompletableFuture<?> future : pending) {
      if (!future.isDone()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (!flush(settings.publishTimeout())) {
      log.warn(
          "bus '{}': closing with {} events still unconfirmed by RabbitMQ",
          settings.namespace(),
          inFlight.size());
    }
    closed = true;
    scheduler.shutdownNow();
    publisher.shutdownNow();
    Link current = link;
    if (current != null) {
      current.broken = true;
      try {
        current.connection.close(2_000);
      } catch (IOException | RuntimeException e) {
        current.abort();
      }
      failPending(current, "the bus closed before the broker confirmed");
    }
  }

  // ---------------------------------------------------------------- what the bus reports

  /** Events this bus failed to publish (the cache group sent them again). */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Messages refused unread: longer than the wire format allows, or not UTF-8. */
  public long refused() {
    return refused.sum();
  }

  /** Losses reported to the receivers. */
  public long losses() {
    return losses.sum();
  }

  /** Heartbeats of this bus that came back through its queue: each one a proof of delivery. */
  public long heartbeats() {
    return heartbeats.sum();
  }

  /** Whether the bus is attached to the broker (it may start detached: see {@link RabbitBus}). */
  public boolean isAttached() {
    Link current = link;
    return current != null && !current.broken;
  }

  /** Whether the bus vouches, now, that it has delivered everything published δ ago. */
  public boolean isLive() {
    return System.nanoTime() - trustedUntil < 0;
  }

  /** The namespace's exchange. */
  public String exchange() {
    return settings.exchange();
  }

  /** This instance's queue, or null while detached. */
  String queueName() {
    Link current = link;
    return current == null ? null : current.queue;
  }

  /** The local port of the bus's connection, or -1 while detached: names it on the broker. */
  int localPort() {
    Link current = link;
    return current == null
        ? -1
        : ((com.rabbitmq.client.impl.NetworkConnection) current.connection).getLocalPort();
  }

  @Override
  public String toString() {
    return "RabbitBus[" + settings.where() + ", exchange " + settings.exchange() + "]";
  }

  // ---------------------------------------------------------------- delivery and liveness

  /** Every quarter of δ: a heartbeat, and publishes that waited too long for a confirm fail. */
  private void tick() {
    Link current = link;
    if (current == null || current.broken) {
      return;
    }
    long now = System.nanoTime();
    long timeout = settings.publishTimeout().toNanos();
    for (Map.Entry<Long, Pending> waiting : current.confirms.entrySet()) {
      if (now - waiting.getValue().sentAt() > timeout
          && current.confirms.remove(waiting.getKey(), waiting.getValue())) {
        fail(
            waiting.getValue().future(),
            new TimeoutException(
                "RabbitMQ did not confirm the event within " + settings.publishTimeout()));
      }
    }
    if (heartbeatQueued.compareAndSet(false, true)) {
      try {
        publisher.execute(
            () -> {
              heartbeatQueued.set(false);
              send(current, HEARTBEAT_KEY, new byte[0], null, now);
            });
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        heartbeatQueued.set(false);
      }
    }
  }

  /** Consumes the instance's queue: events and heartbeats, checked for gaps. */
  private final class EventConsumer extends DefaultConsumer {
    private final Link from;

    EventConsumer(Link from) {
      super(from.consuming);
      this.from = from;
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      if (from != link || from.broken) {
        return; // an older queue's: the loss that replaced it was reported
      }
      Map<String, Object> headers = properties.getHeaders();
      String publisherId = headers == null ? null : text(headers.get(PUBLISHER_HEADER));
      Long seq = headers == null ? null : number(headers.get(SEQUENCE_HEADER));
      if (publisherId != null && seq != null) {
        long missed = sequences.missed(publisherId, seq);
        if (missed > 0) {
          reportLoss(
              missed
                  + " events of publisher "
                  + publisherId
                  + " never reached this instance's queue (its sequence skipped to "
                  + seq
                  + ")");
        }
      }
      Long beat = headers == null ? null : number(headers.get(HEARTBEAT_HEADER));
      if (beat != null) {
        if (from.publisherId.equals(publisherId)) {
          heartbeatReturned(beat);
        }
      } else {
        String message = decode(body);
        if (message != null) {
          for (SerialReceiver attached : receivers) {
            attached.onMessage(message);
          }
        }
      }
      ack(envelope.getDeliveryTag());
    }

    @Override
    public void handleCancel(String consumerTag) {
      broken(from, "the broker cancelled the consumer: the queue " + from.queue + " was deleted");
    }

    private void ack(long tag) {
      try {
        from.consuming.basicAck(tag, false);
      } catch (IOException | RuntimeException e) {
        // the channel is gone; its shutdown listener attaches again
      }
    }
  }

  /** Consumes what the broker dropped from the full queue: each one a loss. */
  private final class DropsConsumer extends DefaultConsumer {
    private final Link from;

    DropsConsumer(Link from) {
      super(from.consuming);
      this.from = from;
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      if (from == link && !from.broken) {
        reportLoss(
            "this instance's queue overflowed (queueMaxLength "
                + settings.queueMaxLength()
                + "): the broker dropped events it had not read");
      }
      try {
        from.consuming.basicAck(envelope.getDeliveryTag(), false);
      } catch (IOException | RuntimeException e) {
        // the channel is gone; its shutdown listener attaches again
      }
    }

    @Override
    public void handleCancel(String consumerTag) {
      broken(from, "the broker cancelled the consumer: the queue " + from.drops + " was deleted");
    }
  }

  /** The body as text, or null (counted, logged once) if it cannot be a valid message. */
  private String decode(byte[] body) {
    if (body.length > MAX_BODY_BYTES) {
      refuse("a message of " + body.length + " bytes, longer than any valid event");
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      refuse("a message that is not UTF-8 text");
      return null;
    }
  }

  private void refuse(String what) {
    refused.increment();
    if (refusalLogged.compareAndSet(false, true)) {
      log.warn(
          "bus '{}': refused {} (further refusals are counted, not logged)",
          settings.namespace(),
          what);
    }
  }

  private static String text(Object header) {
    return header == null ? null : header.toString(); // a LongString on the wire
  }

  private static Long number(Object header) {
    if (header instanceof Number n) {
      return n.longValue();
    }
    return null;
  }

  private void reportLoss(String reason) {
    losses.increment();
    log.warn("bus '{}': {}", settings.namespace(), reason);
    for (SerialReceiver attached : receivers) {
      attached.onLoss(reason);
    }
  }

  private void heartbeatReturned(long sent) {
    heartbeats.increment();
    synchronized (this) {
      if (sent - caughtUpAt > 0) {
        caughtUpAt = sent;
      }
      long deadline = caughtUpAt + boundNanos;
      Link current = link;
      if (current != null && !current.broken && deadline - trustedUntil > 0) {
        pushTrust(deadline);
      }
    }
  }

  /** Something is wrong: stop trusting local state now, not at the deadline. */
  private synchronized void distrust() {
    pushTrust(System.nanoTime() - 1);
  }

  private synchronized void pushTrust(long deadline) {
    trustedUntil = deadline;
    for (SerialReceiver attached : receivers) {
      attached.trustUntil(deadline);
    }
  }
}
