package io.freshcache.kafka;

import java.time.Duration;

/**
 * What a {@link KafkaBus} runs with: copied out of its builder by {@link KafkaBusBuilder#build}, so
 * a setter called on the builder afterwards changes nothing that runs.
 *
 * @param topic the namespace's topic
 * @param partitions the partitions a topic the bus creates gets
 * @param replicationFactor the replicas a topic the bus creates gets, or -1 for the broker's
 *     default
 * @param failFast whether a broker that cannot be reached fails the build instead of the bus
 *     starting detached
 */
record KafkaSettings(
    String bootstrapServers,
    String namespace,
    String topic,
    int partitions,
    short replicationFactor,
    Duration stalenessBound,
    Duration publishTimeout,
    Duration connectTimeout,
    String clientId,
    boolean failFast) {}
