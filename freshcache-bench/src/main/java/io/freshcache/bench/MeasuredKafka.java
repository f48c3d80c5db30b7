package io.freshcache.bench;

import io.freshcache.kafka.KafkaBus;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * freshcache over Kafka ({@link KafkaBus}: a topic per namespace, every instance reading every
 * partition), against plain Kafka clients: a one-partition topic of the round's own, each
 * subscriber a {@link KafkaConsumer} of its own assigned the partition by hand (no group) and
 * polling on a thread of its own, and one {@link KafkaProducer} with the bus's producer settings
 * ({@code acks=all}, idempotent, {@code linger.ms=0}) sending without waiting. On a broker given
 * with {@code --kafka}, or one the run starts ({@code --start-kafka}: {@link KafkaBroker}, in a JVM
 * of its own, stopped and deleted at the end).
 */
final class MeasuredKafka implements MeasuredBus {

  /** The prefix of the topics of the bench's groups. */
  static final String TOPIC_PREFIX = "fcbench.";

  private static final int FETCH_WAIT_MS = 50; // the bus's, at δ = 200 ms: a quarter of δ

  private final String bootstrap;
  private final KafkaBroker started;
  private final Admin admin;

  MeasuredKafka(String bootstrap, boolean start) {
    this.started = start ? KafkaBroker.start() : null;
    this.bootstrap = start ? started.bootstrap() : bootstrap;
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                this.bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
    try {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "cannot reach Kafka at "
              + this.bootstrap
              + " ("
              + e
              + "); pass --kafka host:port of a running broker, or --start-kafka",
          e);
    }
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String describe() {
    return "Kafka at "
        + bootstrap
        + (started != null ? " (a single-node broker this run started)" : "");
  }

  @Override
  public InvalidationBus connect(String namespace, String instanceId) {
    return KafkaBus.builder(bootstrap, namespace)
        .topicPrefix(TOPIC_PREFIX)
        .clientId("fcbench-" + instanceId)
        .publishTimeout(Duration.ofSeconds(30))
        .build();
  }

  @Override
  public void cleanUp(InvalidationBus closed) {
    deleteTopic(((KafkaBus) closed).topic());
  }

  private void deleteTopic(String topic) {
    try {
      admin.deleteTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("could not delete the topic " + topic + ": " + e);
    }
  }

  @Override
  public RawPeer raw(String name) throws Exception {
    return new Raw(TOPIC_PREFIX + name);
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(10));
    }
    if (started != null) {
      started.close();
    }
  }

  /** Plain clients on a topic of the round's own, deleted with the peer. */
  private final class Raw implements RawPeer {
    private final TopicPartition partition;
    private final KafkaProducer<byte[], byte[]> producer;
    private final LongAdder acked = new LongAdder();
    private final LongAdder failures = new LongAdder();

    Raw(String topic) throws Exception {
      partition = new TopicPartition(topic, 0);
      admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ProducerConfig.CLIENT_ID_CONFIG,
                  "fcbench-raw-producer",
                  ProducerConfig.ACKS_CONFIG,
                  "all",
                  ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                  true,
                  ProducerConfig.LINGER_MS_CONFIG,
                  0),
              new ByteArraySerializer(),
              new ByteArraySerializer());
    }

    @Override
    public AutoCloseable subscribe(Listener listener) {
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ConsumerConfig.CLIENT_ID_CONFIG,
                  "fcbench-raw-consumer",
                  ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                  false,
                  ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                  FETCH_WAIT_MS),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition); // resolved now: receiving from here on
      AtomicBoolean stop = new AtomicBoolean();
      Thread poller =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(100))) {
                      listener.message(new String(record.value(), StandardCharsets.UTF_8));
                    }
                  }
                } finally {
                  consumer.close(Duration.ofSeconds(5));
                }
              },
              "fcbench-raw-consumer");
      poller.setDaemon(true);
      poller.start();
      return () -> {
        stop.set(true);
        poller.join(10_000);
      };
    }

    @Override
    public void publish(String message) {
      producer.send(
          new ProducerRecord<>(
              partition.topic(),
              partition.partition(),
              null,
              message.getBytes(StandardCharsets.UTF_8)),
          (metadata, failure) -> {
            if (failure == null) {
              acked.increment();
            } else {
              failures.increment();
            }
          });
    }

    @Override
    public List<String> details(long expected) {
      return List.of(
          String.format(
              Locale.ROOT, "producer: %d acknowledged, %d failed", acked.sum(), failures.sum()));
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(10));
      deleteTopic(partition.topic());
    }
  }
}
