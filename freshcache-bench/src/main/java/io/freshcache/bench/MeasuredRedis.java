package io.freshcache.bench;

import io.freshcache.redis.RedisBus;
import io.freshcache.spi.InvalidationBus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * freshcache over Redis ({@link RedisBus}: channel and stream), against plain Lettuce pub/sub: each
 * subscriber a connection with client resources (event loops) of its own, {@code PSUBSCRIBE}d to a
 * private pattern, and one publisher connection that {@code PUBLISH}es asynchronously as the bus
 * does. Redis's own counters are reported per event.
 */
final class MeasuredRedis implements MeasuredBus {

  /** The prefix of every Redis key the buses write: their streams, deleted after each round. */
  static final String KEY_PREFIX = "fcbench";

  private final String uri;
  private final RedisCounters counters;

  MeasuredRedis(String uri) {
    this.uri = uri;
    this.counters = new RedisCounters(uri);
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public String describe() {
    return "Redis " + counters.serverInfo("redis_version") + " at " + uri;
  }

  @Override
  public InvalidationBus connect(String namespace, String instanceId) {
    return RedisBus.builder(uri, namespace)
        .keyPrefix(KEY_PREFIX)
        .clientName(KEY_PREFIX + "-" + instanceId)
        .build();
  }

  @Override
  public void cleanUp(InvalidationBus closed) {
    RedisBus bus = (RedisBus) closed;
    counters.delete(bus.streamKey());
    counters.delete(bus.sequenceKey());
  }

  @Override
  public long leftBehind(String runId) {
    return counters.countKeys(KEY_PREFIX + "*" + runId + "*");
  }

  @Override
  public RedisCounters counters() {
    return counters;
  }

  @Override
  public RawPeer raw(String name) {
    return new Raw(name);
  }

  @Override
  public void close() {
    counters.close();
  }

  /** Plain Lettuce pub/sub on the channel {@code <name>:invalidate}. */
  private final class Raw implements RawPeer {
    private final String channel;
    private final String pattern;
    private final ClientResources resources = DefaultClientResources.create();
    private final RedisClient client = RedisClient.create(resources, uri);
    private final StatefulRedisConnection<String, String> publisher;
    private final RedisAsyncCommands<String, String> async;
    private final LongAdder failures = new LongAdder();
    private final AtomicLong receiversCounted = new AtomicLong();

    Raw(String name) {
      channel = name + ":invalidate";
      pattern = name + ":*";
      try {
        publisher = client.connect();
      } catch (RuntimeException e) {
        client.shutdown();
        resources.shutdown();
        throw e;
      }
      async = publisher.async();
    }

    @Override
    public AutoCloseable subscribe(Listener listener) {
      ClientResources own = DefaultClientResources.create();
      RedisClient subscriber = RedisClient.create(own, uri);
      try {
        StatefulRedisPubSubConnection<String, String> connection = subscriber.connectPubSub();
        connection.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String pattern, String channel, String message) {
                listener.message(message);
              }
            });
        connection.sync().psubscribe(pattern);
        return () -> {
          connection.close();
          subscriber.shutdown();
          own.shutdown();
        };
      } catch (RuntimeException e) {
        subscriber.shutdown();
        own.shutdown();
        throw e;
      }
    }

    @Override
    public void publish(String message) {
      async
          .publish(channel, message)
          .whenComplete(
              (receivers, failure) -> {
                if (failure != null) {
                  failures.increment();
                } else {
                  receiversCounted.addAndGet(receivers);
                }
              });
    }

    @Override
    public List<String> details(long expected) {
      return List.of(
          String.format(
              Locale.ROOT,
              "PUBLISH replies counted %d receivers in all (expected %d), %d publish failures",
              receiversCounted.get(),
              expected,
              failures.sum()));
    }

    @Override
    public void close() {
      publisher.close();
      client.shutdown();
      resources.shutdown();
    }
  }
}
