package io.freshcache.kafka;

import io.freshcache.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the Kafka tests do beside the bus, as another application or an operator would. */
final class KafkaTestSupport {

  /** The topic prefix of every test. */
  static final String PREFIX = "fctest.";

  private KafkaTestSupport() {}

  static Admin admin(KafkaBroker broker) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrap(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000));
  }

  /** Deletes a topic of the shared broker (if there is one). */
  static void deleteTopic(String topic) {
    try (Admin admin = admin(KafkaBroker.shared())) {
      admin.deleteTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // gone already, or never made
    }
  }

  /** A plain producer, as another service would run, that knows nothing of freshcache. */
  static KafkaProducer<byte[], byte[]> plainProducer(KafkaBroker broker) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrap(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName(),
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            8 * 1024 * 1024));
  }

  /** Sends one plain record and waits for the broker to have it. */
  static void sendPlain(KafkaBroker broker, String topic, byte[] key, byte[] value) {
    try (KafkaProducer<byte[], byte[]> producer = plainProducer(broker)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void sendPlain(KafkaBroker broker, String topic, String value) {
    sendPlain(broker, topic, null, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Makes {@code bus} lose a record as retention would: its reader held, a record is written and
   * the log's start moved past it before the bus could read it.
   */
  static void deleteUnread(KafkaBus bus) {
    bus.holdReading(true);
    try {
      sendPlain(KafkaBroker.shared(), bus.topic(), "kit: a record nobody will read");
      deleteAllRecords(KafkaBroker.shared(), bus.topic());
    } finally {
      bus.holdReading(false);
    }
  }

  /** Moves the start of every partition of the topic to its end, as retention would. */
  static void deleteAllRecords(KafkaBroker broker, String topic) {
    try (Admin admin = admin(broker)) {
      var description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      description
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, RecordsToDelete> delete = new java.util.HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(10, TimeUnit.SECONDS)
          .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
      admin.deleteRecords(delete).all().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not delete the records of " + topic, e);
    }
  }
}
