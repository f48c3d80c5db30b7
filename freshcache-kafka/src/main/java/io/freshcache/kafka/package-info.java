/**
 * The invalidation bus on Kafka: {@link io.freshcache.kafka.KafkaBus}, configured by {@link
 * io.freshcache.kafka.KafkaBusBuilder}.
 *
 * <p>Events are records on a topic named for the namespace, their value the plain JSON wire format,
 * keyed by their publisher so that one publisher's events stay in order; any Kafka producer that
 * writes the format invalidates every instance. Each instance reads every partition from its own
 * position, kept in memory, and replays what it missed after a dropped connection or a broker
 * restart; a position the log no longer holds is a loss. Heartbeats on the topic bound how long an
 * instance trusts its local entries (δ).
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop")
 *     .bus(KafkaBus.builder("kafka-1:9092,kafka-2:9092"))
 *     .build();
 * }</pre>
 *
 * <p>Not here: a shared tier (Kafka holds no values to look up; pair the bus with a tier of another
 * module, or none), and change-data-capture (a connector that writes the format to the topic needs
 * no code here).
 */
package io.freshcache.kafka;
