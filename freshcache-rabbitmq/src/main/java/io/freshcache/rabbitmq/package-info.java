/**
 * The invalidation bus on RabbitMQ: {@link io.freshcache.rabbitmq.RabbitBus}, configured by {@link
 * io.freshcache.rabbitmq.RabbitBusBuilder}.
 *
 * <p>Events travel a topic exchange named for the namespace, with the event type as routing key and
 * the plain JSON wire format as body, so any AMQP publisher that knows the format invalidates every
 * instance, and other consumers may bind with wildcards. Each instance reads from a queue of its
 * own; a lost connection, a deleted or overflowing queue, or a publisher's sequence that skips is
 * reported as a loss, and heartbeats on the exchange bound how long an instance trusts its local
 * entries (δ).
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop")
 *     .bus(RabbitBus.builder("amqp://guest:guest@127.0.0.1:5672"))
 *     .build();
 * }</pre>
 *
 * <p>Not here: a shared tier (RabbitMQ holds no values; pair the bus with a tier of another module,
 * or none).
 */
package io.freshcache.rabbitmq;
