package io.freshcache.kafka;

import io.freshcache.event.EventCodec;
import io.freshcache.event.EventTypes;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SerialReceiver;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation bus on Kafka, for a fleet of instances.
 *
 * <p><b>Wire.</b> Every event is a record on the topic named for the namespace ({@code
 * freshcache.shop} by default), its value the plain JSON of the wire format in UTF-8. A record's
 * key is its publisher (this bus): all of one publisher's events go to one partition and stay in
 * the order it published them, so one key's invalidations from one writer never overtake each
 * other. Any producer that writes the plain format to the topic, keyed or not, reaches every
 * instance. Heartbeats travel the same topic, marked by the header {@value #HEARTBEAT_HEADER}
 * (consumers of their own skip records that carry it).
 *
 * <p><b>Every instance reads every event, from its own position.</b> The bus assigns itself every
 * partition of the topic (no consumer group) and keeps its position in memory: it starts at the
 * topic's end (a new process holds nothing an older event could invalidate) and, after a dropped
 * connection or a broker restart, goes on from where it stopped, so it <em>replays</em> what it
 * missed. A consumer group per instance would do the same with more machinery and nothing gained:
 * each group is coordinated, rebalanced and has its offsets committed (one more write per instance
 * per commit), and groups of instances that are gone stay behind on the broker until they expire;
 * the committed offset is worth nothing to a process that restarts with empty caches anyway.
 *
 * <p><b>Nothing lost silently.</b> If the log no longer holds the bus's position (retention deleted
 * records it had not read, the topic was deleted and made again, a replica's log was truncated),
 * the consumer's fetch is out of range: the bus reports a loss (the group clears its caches) before
 * it reads on from the end.
 *
 * <p><b>Bounded staleness.</b> Every quarter of δ the bus writes a heartbeat to every partition
 * from the producer its events go out on, and reads it back with the consumer its events come in
 * on. A heartbeat read back proves that everything written to that partition before it has been
 * read; the bus hands its receivers a deadline δ after the oldest of its partitions' last proofs. A
 * stopped broker, a cut connection, a stalled reader or a backlog all hold the heartbeats back, so
 * the deadline passes and the instance stops serving local hits until it has caught up. {@link
 * #recordsBehind()} says how far the reader is behind the log's end. Every instance reads every
 * instance's heartbeats and drops the others': 4N/δ heartbeat records a second per partition, each
 * read by all N instances, which bounds the fleet a namespace can have at a given δ.
 *
 * <p><b>Not detected yet:</b> a topic deleted and made again that has grown past this instance's
 * position before it fetched again (its id changed, its offsets did not run out of range).
 *
 * <p><b>Publishing</b> returns a future that completes when the broker has the record (acks from
 * all in-sync replicas, idempotent producer); it fails if that does not happen within {@link
 * KafkaBusBuilder#publishTimeout}, and the group then sends the event again (its outbox). Events
 * are handed to the producer in the order {@code publish} was called, from one thread, so a caller
 * never blocks on the broker.
 *
 * <p><b>Starting without the broker.</b> If the broker does not answer within {@link
 * KafkaBusBuilder#connectTimeout} when the bus is built, the bus starts detached (unless {@link
 * KafkaBusBuilder#failFast}): nothing is trusted, publishes fail at once (the group keeps them in
 * its outbox), and the reader tries to attach once a second (the topic made if need be, every
 * partition from its end), reporting a loss when it does: what was published meanwhile was never
 * read. {@link #isAttached()} says which.
 *
 * <p><b>Bad messages.</b> A record whose value is longer than the wire format allows, or is not
 * UTF-8, is refused unread ({@link #refused()}, logged once); the group refuses the rest of what is
 * malformed.
 *
 * <p>Thread-safe. Receivers are called one call at a time each.
 */
public final class KafkaBus implements InvalidationBus {

  private static final Logger log = LoggerFactory.getLogger(KafkaBus.class);

  /** The header marking a heartbeat; its value is the sender's clock, eight bytes. */
  public static final String HEARTBEAT_HEADER = "freshcache-heartbeat";

  /** The header naming the bus that wrote a heartbeat. */
  static final String PUBLISHER_HEADER = "freshcache-publisher";

  /** The longest value a valid message can have: three UTF-8 bytes per char at most. */
  static final int MAX_VALUE_BYTES = 3 * EventCodec.MAX_MESSAGE_CHARS;

  /**
   * The largest record the bus writes or the topic it creates accepts: a valid message and room.
   */
  static final int MAX_RECORD_BYTES = MAX_VALUE_BYTES + 64 * 1024;

  private static final long PARTITION_CHECK_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long ATTACH_RETRY_MILLIS = 1_000;

  private final KafkaSettings settings;
  private final String token;
  private final byte[] tokenBytes;
  private final long boundNanos;
  private final long heartbeatNanos;
  private final List<SerialReceiver> receivers = new CopyOnWriteArrayList<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService publisher;
  private final Thread reader;
  private final AtomicBoolean heartbeatQueued = new AtomicBoolean();
  private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder losses = new LongAdder();
  private final LongAdder heartbeats = new LongAdder();
  private final AtomicBoolean refusalLogged = new AtomicBoolean();

  /** Per partition, when the last heartbeat read back was sent (the reader's thread writes). */
  private final Map<Integer, Long> provenAt = new ConcurrentHashMap<>();

  private volatile List<TopicPartition> partitions;
  private volatile boolean attached;
  private volatile long trustedUntil;
  private volatile long recordsBehind;
  private volatile boolean readerHealthy = true;
  private volatile boolean hold;
  private volatile boolean held;
  private long pausedAt; // the reader thread's own: when the test hook's pause began, 0 if none
  private volatile boolean closed;

  /**
   * Starts a builder for a bus on the brokers {@code bootstrapServers} ({@code host:port,...})
   * carrying the events of group {@code namespace}.
   */
  public static KafkaBusBuilder builder(String bootstrapServers, String namespace) {
    return new KafkaBusBuilder(bootstrapServers, namespace);
  }

  /**
   * Starts a builder for a bus to hand to a group, which opens it for its own name and closes it
   * with itself: {@code CacheGroup.builder("shop").bus(KafkaBus.builder(servers))}.
   */
  public static KafkaBusBuilder builder(String bootstrapServers) {
    return new KafkaBusBuilder(bootstrapServers, null);
  }

  KafkaBus(KafkaSettings settings) {
    this.settings = settings;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.token = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    this.tokenBytes = token.getBytes(StandardCharsets.UTF_8);
    this.boundNanos = settings.stalenessBound().toNanos();
    this.heartbeatNanos = boundNanos / 4;
    long now = System.nanoTime();
    trustedUntil = now - 1;
    producer = new KafkaProducer<>(producerConfig());
    KafkaConsumer<byte[], byte[]> made = null;
    try {
      made = new KafkaConsumer<>(consumerConfig());
      ensureTopic();
      partitions = startAtEnd(made);
      attached = true;
    } catch (RuntimeException e) {
      if (settings.failFast() || !isOutage(e)) {
        producer.close(Duration.ZERO);
        if (made != null) {
          made.close(Duration.ZERO);
        }
        throw e.getMessage() != null && e.getMessage().startsWith(UNREACHABLE) ? e : unreachable(e);
      }
      partitions = List.of();
      log.warn(
          "bus '{}': Kafka at {} cannot be reached ({}); starting detached: local hits are"
              + " suspended and invalidations wait in the outbox until it answers. Trying to"
              + " attach once a second",
          settings.namespace(),
          settings.bootstrapServers(),
          rootCause(e));
    }
    consumer = made;
    for (TopicPartition partition : partitions) {
      provenAt.put(partition.partition(), now - boundNanos);
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("freshcache-kafka-" + settings.topic()));
    publisher =
        Executors.newSingleThreadExecutor(daemon("freshcache-kafka-publish-" + settings.topic()));
    reader = daemon("freshcache-kafka-read-" + settings.topic()).newThread(this::read);
    reader.start();
    scheduler.scheduleAtFixedRate(this::tick, 0, heartbeatNanos, TimeUnit.NANOSECONDS);
    if (attached) {
      awaitFirstProof();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  // ---------------------------------------------------------------- setting up

  private static final String UNREACHABLE = "could not reach Kafka at ";
  private static final String NO_PARTITION = "Kafka lists no partition of the topic ";

  /**
   * Whether {@code e} says the broker did not answer in time (wait for it: start detached), rather
   * than that it answered with a refusal (fail the build).
   */
  private static boolean isOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.TimeoutException
          || t instanceof java.util.concurrent.TimeoutException
          || (t.getMessage() != null && t.getMessage().startsWith(NO_PARTITION))) {
        return true;
      }
    }
    return false;
  }

  private IllegalStateException unreachable(Throwable e) {
    return new IllegalStateException(
        UNREACHABLE
            + settings.bootstrapServers()
            + " within "
            + settings.connectTimeout()
            + " ("
            + rootCause(e)
            + "): check bootstrapServers (host:port of a broker listener) and that the broker"
            + " runs",
        e);
  }

  /** Creates the namespace's topic unless it exists. */
  private void ensureTopic() {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.clientId() + "-admin");
    int timeout = (int) settings.connectTimeout().toMillis();
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    try (Admin admin = Admin.create(config)) {
      NewTopic topic =
          new NewTopic(
                  settings.topic(),
                  Optional.of(settings.partitions()),
                  settings.replicationFactor() < 0
                      ? Optional.empty()
                      : Optional.of(settings.replicationFactor()))
              .configs(
                  Map.of(
                      "cleanup.policy",
                      "delete",
                      "max.message.bytes",
                      String.valueOf(MAX_RECORD_BYTES)));
      admin
          .createTopics(List.of(topic))
          .all()
          .get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      log.info("bus '{}': created the topic {}", settings.namespace(), settings.topic());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw unreachable(e.getCause());
      }
    } catch (TimeoutException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to Kafka", e);
    }
  }

  private Properties producerConfig() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-producer");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
    int timeout = (int) settings.publishTimeout().toMillis();
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    return config;
  }

  private Properties consumerConfig() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-consumer");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // No reset: a position the log no longer holds must surface, as a loss, not be skipped.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.put(
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
        (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(heartbeatNanos)));
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES);
    config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    config.put(
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.connectTimeout().toMillis());
    return config;
  }

  /** Assigns every partition of the topic to {@code to}, each at its end, resolved now. */
  private List<TopicPartition> startAtEnd(KafkaConsumer<byte[], byte[]> to) {
    // Just after the topic is created the broker may not list its partitions yet (an empty list):
    // assigning none would leave the reader reading nothing, so ask again until they show.
    long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
    List<PartitionInfo> infos = to.partitionsFor(settings.topic(), settings.connectTimeout());
    while (infos.isEmpty() && System.nanoTime() - deadline < 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      infos = to.partitionsFor(settings.topic(), settings.connectTimeout());
    }
    if (infos.isEmpty()) {
      throw new IllegalStateException(
          NO_PARTITION
              + settings.topic()
              + " within "
              + settings.connectTimeout()
              + ": check that the broker runs and that the topic exists");
    }
    List<TopicPartition> all = new ArrayList<>();
    for (PartitionInfo info : infos) {
      all.add(new TopicPartition(info.topic(), info.partition()));
    }
    to.assign(all);
    to.seekToEnd(all);
    for (TopicPartition partition : all) {
      to.position(partition, settings.connectTimeout()); // so that subscribe() follows it
    }
    return List.copyOf(all);
  }

  /**
   * Waits (at most the publish timeout) for the first heartbeats back, so the bus starts trusted.
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
    return "Kafka";
  }

  @Override
  public String namespace() {
    return settings.namespace();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The event is a record on the namespace's topic keyed by this publisher; the future completes
   * when the broker has it. The event type is not sent beyond the message itself.
   *
   * @throws IllegalArgumentException if {@code eventType} is not a valid event type
   */
  @Override
  public CompletableFuture<Void> publish(String eventType, String message) {
    if (closed) {
      throw new IllegalStateException("the Kafka bus of '" + settings.namespace() + "' is closed");
    }
    EventTypes.requireValid(eventType);
    byte[] value = message.getBytes(StandardCharsets.UTF_8);
    CompletableFuture<Void> future = new CompletableFuture<>();
    if (!attached) {
      fail(
          future,
          new IllegalStateException(
              "the bus of '"
                  + settings.namespace()
                  + "' is not attached to Kafka at "
                  + settings.bootstrapServers()));
      return future;
    }
    inFlight.add(future);
    future.whenComplete((ok, failure) -> inFlight.remove(future));
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(settings.topic(), tokenBytes, value);
    try {
      publisher.execute(() -> send(record, future));
    } catch (RejectedExecutionException e) {
      fail(future, new IllegalStateException("the bus is closing", e));
    }
    return future;
  }

  /** Runs on the publishing thread: one producer, one order. */
  private void send(ProducerRecord<byte[], byte[]> record, CompletableFuture<Void> future) {
    try {
      producer.send(
          record,
          (metadata, failure) -> {
            if (future == null) {
              return;
            }
            if (failure == null) {
              future.complete(null);
            } else {
              fail(future, failure);
            }
          });
    } catch (RuntimeException e) {
      if (future != null) {
        fail(future, e);
      }
    }
  }

  private void fail(CompletableFuture<Void> future, Throwable failure) {
    if (future.completeExceptionally(failure)) {
      publishFailures.increment();
      log.debug("bus '{}': a publish failed: {}", settings.namespace(), failure.toString());
    }
  }

  @Override
  public Subscription subscribe(Receiver receiver) {
    if (closed) {
      throw new IllegalStateException("the Kafka bus of '" + settings.namespace() + "' is closed");
    }
    SerialReceiver attached = new SerialReceiver(receiver);
    receivers.add(attached);
    attached.trustUntil(trustedUntil);
    return () -> receivers.remove(attached);
  }

  /**
   * Waits until every event published so far has been acknowledged (or failed), for at most {@code
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
          "bus '{}': closing with {} events still unacknowledged by Kafka",
          settings.namespace(),
          inFlight.size());
    }
    closed = true;
    scheduler.shutdownNow();
    publisher.shutdownNow();
    consumer.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(2));
  }

  // ---------------------------------------------------------------- what the bus reports

  /** Events this bus failed to publish (the cache group sent them again). */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Records refused unread: longer than the wire format allows, or not UTF-8. */
  public long refused() {
    return refused.sum();
  }

  /** Losses reported to the receivers. */
  public long losses() {
    return losses.sum();
  }

  /** Heartbeats of this bus read back from the topic: each one a proof of delivery. */
  public long heartbeats() {
    return heartbeats.sum();
  }

  /**
   * How many records the reader was behind the log's end after its last read, summed over the
   * partitions: the propagation lag in records (the group measures it in time, {@code
   * stats().lag()}).
   */
  public long recordsBehind() {
    return recordsBehind;
  }

  /** Whether the bus is attached to the broker (it may start detached: see {@link KafkaBus}). */
  public boolean isAttached() {
    return attached;
  }

  /** Whether the bus vouches, now, that it has read everything written δ ago. */
  public boolean isLive() {
    return System.nanoTime() - trustedUntil < 0;
  }

  /** The namespace's topic. */
  public String topic() {
    return settings.topic();
  }

  /**
   * Holds (true) or resumes (false) the reader, for tests: while held it reads nothing, as a
   * stalled consumer; returns once the reader has seen the change.
   */
  void holdReading(boolean hold) {
    this.hold = hold;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (held != hold && System.nanoTime() - deadline < 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** How long a held reader waits for a fetch in flight at the pause: well past its wait. */
  private long holdSettleNanos() {
    return Math.max(3 * heartbeatNanos, TimeUnit.MILLISECONDS.toNanos(500));
  }

  @Override
  public String toString() {
    return "KafkaBus[" + settings.bootstrapServers() + ", topic " + settings.topic() + "]";
  }

  // ---------------------------------------------------------------- reading

  private void read() {
    long backoffMillis = 0;
    long lastPartitionCheck = System.nanoTime();
    while (!closed) {
      if (!attached && !attachLate()) {
        try {
          Thread.sleep(ATTACH_RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          break;
        }
        continue;
      }
      try {
        if (hold != held) {
          if (!hold) {
            consumer.resume(consumer.assignment());
            pausedAt = 0;
            held = false;
          } else if (pausedAt == 0) {
            consumer.pause(consumer.assignment());
            pausedAt = System.nanoTime();
          } else if (System.nanoTime() - pausedAt >= holdSettleNanos()) {
            // A fetch sent before the pause may still bring records into the consumer's buffer,
            // to be returned on resume; held only once any such fetch has surely come back, so
            // that nothing written after holdReading returns can be read without a new fetch.
            held = true;
          }
        }
        ConsumerRecords<byte[], byte[]> records =
            consumer.poll(Duration.ofNanos(Math.max(heartbeatNanos, 1_000_000)));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          deliver(record);
        }
        long behind = 0;
        for (TopicPartition partition : partitions) {
          OptionalLong lag = consumer.currentLag(partition);
          behind += lag.orElse(0);
        }
        recordsBehind = behind;
        if (!readerHealthy) {
          readerHealthy = true;
          log.info("bus '{}': reading {} again", settings.namespace(), settings.topic());
        }
        if (System.nanoTime() - lastPartitionCheck > PARTITION_CHECK_NANOS) {
          lastPartitionCheck = System.nanoTime();
          followNewPartitions();
        }
        backoffMillis = 0;
      } catch (OffsetOutOfRangeException e) {
        lostPosition(e.offsetOutOfRangePartitions());
      } catch (WakeupException e) {
        if (closed) {
          break;
        }
      } catch (RuntimeException e) {
        if (closed) {
          break;
        }
        if (readerHealthy) {
          log.warn("bus '{}': reading failed, retrying: {}", settings.namespace(), e.toString());
        }
        readerHealthy = false;
        distrust();
        backoffMillis = Math.min(1_000, Math.max(10, backoffMillis * 2));
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          break;
        }
      }
    }
    try {
      consumer.close(Duration.ofSeconds(2));
    } catch (RuntimeException e) {
      log.debug("bus '{}': closing the consumer: {}", settings.namespace(), e.toString());
    }
  }

  /**
   * The reader's thread, while the bus started detached: makes the topic if need be and starts
   * every partition at its end; true once attached (the loss reported first).
   */
  private boolean attachLate() {
    List<TopicPartition> found;
    try {
      ensureTopic();
      found = startAtEnd(consumer);
    } catch (RuntimeException e) {
      log.debug("bus '{}': Kafka still cannot be reached: {}", settings.namespace(), e.toString());
      return false;
    }
    long now = System.nanoTime();
    for (TopicPartition partition : found) {
      provenAt.put(partition.partition(), now - boundNanos);
    }
    partitions = found;
    reportLoss(
        "the bus attached to Kafka only now: events published while it was detached were never"
            + " read by this instance");
    attached = true;
    log.info(
        "bus '{}': attached to Kafka at {}", settings.namespace(), settings.bootstrapServers());
    return true;
  }

  /** The log no longer holds the position of these partitions: a loss, then on from the end. */
  private void lostPosition(Map<TopicPartition, Long> positions) {
    reportLoss(
        "the topic "
            + settings.topic()
            + " no longer holds this instance's position "
            + positions
            + " (records deleted by retention before it read them, or the topic made again):"
            + " events may be lost; reading on from the end");
    consumer.seekToEnd(positions.keySet());
    for (TopicPartition partition : positions.keySet()) {
      consumer.position(partition, settings.connectTimeout());
    }
  }

  /** A partition added to the topic is read from its start: all of it came after us. */
  private void followNewPartitions() {
    List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), settings.connectTimeout());
    if (infos.size() <= partitions.size()) {
      return;
    }
    List<TopicPartition> all = new ArrayList<>(partitions);
    List<TopicPartition> added = new ArrayList<>();
    for (PartitionInfo info : infos) {
      TopicPartition partition = new TopicPartition(info.topic(), info.partition());
      if (!all.contains(partition)) {
        all.add(partition);
        added.add(partition);
        provenAt.put(partition.partition(), System.nanoTime() - boundNanos);
      }
    }
    consumer.assign(all);
    consumer.seekToBeginning(added);
    partitions = List.copyOf(all);
    log.info("bus '{}': reading the new partitions {}", settings.namespace(), added);
  }

  private void deliver(ConsumerRecord<byte[], byte[]> record) {
    Header beat = record.headers().lastHeader(HEARTBEAT_HEADER);
    if (beat != null) {
      Header from = record.headers().lastHeader(PUBLISHER_HEADER);
      if (from != null && java.util.Arrays.equals(from.value(), tokenBytes)) {
        byte[] sent = beat.value();
        if (sent != null && sent.length == Long.BYTES) {
          heartbeatReturned(record.partition(), ByteBuffer.wrap(sent).getLong());
        }
      }
      return;
    }
    String message = decode(record.value());
    if (message != null) {
      for (SerialReceiver attached : receivers) {
        attached.onMessage(message);
      }
    }
  }

  /** The value as text, or null (counted, logged once) if it cannot be a valid message. */
  private String decode(byte[] value) {
    if (value == null) {
      refuse("a record without a value");
      return null;
    }
    if (value.length > MAX_VALUE_BYTES) {
      refuse("a record of " + value.length + " bytes, longer than any valid event");
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      refuse("a record whose value is not UTF-8 text");
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

  // ---------------------------------------------------------------- liveness

  /** Every quarter of δ: a heartbeat to every partition, from the producer events go out on. */
  private void tick() {
    if (closed || !heartbeatQueued.compareAndSet(false, true)) {
      return;
    }
    long now = System.nanoTime();
    byte[] sent = ByteBuffer.allocate(Long.BYTES).putLong(now).array();
    List<TopicPartition> all = partitions;
    try {
      publisher.execute(
          () -> {
            heartbeatQueued.set(false);
            for (TopicPartition partition : all) {
              ProducerRecord<byte[], byte[]> record =
                  new ProducerRecord<>(
                      settings.topic(),
                      partition.partition(),
                      tokenBytes,
                      new byte[0],
                      List.of(
                          new RecordHeader(HEARTBEAT_HEADER, sent),
                          new RecordHeader(PUBLISHER_HEADER, tokenBytes)));
              send(record, null);
            }
          });
    } catch (RejectedExecutionException closing) {
      heartbeatQueued.set(false);
    }
  }

  private synchronized void heartbeatReturned(int partition, long sent) {
    heartbeats.increment();
    provenAt.merge(partition, sent, (a, b) -> b - a > 0 ? b : a);
    long oldest = Long.MAX_VALUE;
    boolean first = true;
    for (TopicPartition p : partitions) {
      Long at = provenAt.get(p.partition());
      if (at == null) {
        return;
      }
      if (first || at - oldest < 0) {
        oldest = at;
        first = false;
      }
    }
    long deadline = oldest + boundNanos;
    if (readerHealthy && deadline - trustedUntil > 0) {
      pushTrust(deadline);
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

  private void reportLoss(String reason) {
    losses.increment();
    log.warn("bus '{}': {}", settings.namespace(), reason);
    for (SerialReceiver attached : receivers) {
      attached.onLoss(reason);
    }
  }
}
