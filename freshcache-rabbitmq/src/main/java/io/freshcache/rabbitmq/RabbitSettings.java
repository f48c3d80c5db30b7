package io.freshcache.rabbitmq;

import java.net.URI;
import java.time.Duration;

/**
 * What a {@link RabbitBus} runs with: copied out of its builder by {@link RabbitBusBuilder#build},
 * so a setter called on the builder afterwards changes nothing that runs.
 *
 * @param uri the broker's AMQP URI, checked by the builder
 * @param where host:port, for messages (never the credentials)
 * @param exchange the topic exchange of the namespace
 */
record RabbitSettings(
    URI uri,
    String where,
    String namespace,
    String exchange,
    Duration stalenessBound,
    Duration publishTimeout,
    int queueMaxLength,
    boolean failFast,
    String connectionName) {}
