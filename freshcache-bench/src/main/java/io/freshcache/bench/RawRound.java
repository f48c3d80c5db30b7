package io.freshcache.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer: plain Lettuce pub/sub. N subscriber connections, each with client resources (event
 * loops) of its own as a separate process would have, {@code PSUBSCRIBE} a private pattern; one
 * publisher connection {@code PUBLISH}es, asynchronously as the Redis bus does, messages that carry
 * the publisher's {@link System#nanoTime()}; each subscriber records its receive time minus that,
 * first thing in its listener (on its event loop, where the bus's channel path also runs).
 */
final class RawPubSubRound {

  /**
   * Pads messages to the length of the bus's JSON for one key's invalidation in this harness (156
   * to 158 bytes, as seen with MONITOR), so both carry the same bytes.
   */
  private static final String PADDING = "x".repeat(138);

  private RawPubSubRound() {}

  static RoundResult run(
      HarnessOptions options, int instances, int round, String runId, RedisCounters counters)
      throws InterruptedException {
    String channel = "fcbench:raw:" + runId + ":" + round + ":invalidate";
    String pattern = "fcbench:raw:" + runId + ":" + round + ":*";
    int total = options.total();
    CountDownLatch done = new CountDownLatch(instances);
    List<Subscriber> subscribers = new ArrayList<>();
    ClientResources publisherResources = DefaultClientResources.create();
    RedisClient publisherClient = RedisClient.create(publisherResources, options.redis());
    try {
      for (int i = 0; i < instances; i++) {
        subscribers.add(new Subscriber(options.redis(), pattern, options.warmup(), total, done));
      }
      StatefulRedisConnection<String, String> publisher = publisherClient.connect();
      RedisAsyncCommands<String, String> async = publisher.async();
      LongAdder failures = new LongAdder();
      AtomicLong receiversCounted = new AtomicLong();

      Usage.Meter meter = Usage.start(counters);
      Pacer pacer = new Pacer(options.rate());
      pacer.start();
      for (int seq = 0; seq < total; seq++) {
        pacer.awaitTurn(seq);
        long sent = System.nanoTime();
        async
            .publish(channel, seq + ":" + sent + ":" + PADDING)
            .whenComplete(
                (receivers, failure) -> {
                  if (failure != null) {
                    failures.increment();
                  } else {
                    receiversCounted.addAndGet(receivers);
                  }
                });
      }
      double rate = pacer.achievedRate(total);
      boolean caughtUp = done.await(options.deadline().toMillis(), TimeUnit.MILLISECONDS);
      Usage usage = meter.stop();

      Lags pooled = new Lags();
      long received = 0;
      for (Subscriber s : subscribers) {
        pooled.add(s.lags);
        received += s.received.get();
      }
      List<String> details = new ArrayList<>();
      details.add(
          String.format(
              Locale.ROOT,
              "PUBLISH replies counted %d receivers in all (expected %d), %d publish failures%s",
              receiversCounted.get(),
              (long) total * instances,
              failures.sum(),
              caughtUp ? "" : "; DEADLINE PASSED before every subscriber had every message"));
      publisher.close();
      return new RoundResult(
          "raw",
          instances,
          round,
          pooled,
          (long) total * instances,
          received,
          rate,
          usage,
          details);
    } finally {
      subscribers.forEach(Subscriber::close);
      publisherClient.shutdown();
      publisherResources.shutdown();
    }
  }

  /** One subscriber connection standing for one process. */
  private static final class Subscriber extends RedisPubSubAdapter<String, String> {
    final Lags lags = new Lags();
    final AtomicLong received = new AtomicLong();
    private final ClientResources resources = DefaultClientResources.create();
    private final RedisClient client;
    private final StatefulRedisPubSubConnection<String, String> connection;
    private final int warmup;
    private final int total;
    private final CountDownLatch done;

    Subscriber(String uri, String pattern, int warmup, int total, CountDownLatch done) {
      this.warmup = warmup;
      this.total = total;
      this.done = done;
      client = RedisClient.create(resources, uri);
      try {
        connection = client.connectPubSub();
        connection.addListener(this);
        connection.sync().psubscribe(pattern);
      } catch (RuntimeException e) {
        client.shutdown();
        resources.shutdown();
        throw e;
      }
    }

    @Override
    public void message(String pattern, String channel, String message) {
      long now = System.nanoTime();
      int first = message.indexOf(':');
      int second = message.indexOf(':', first + 1);
      long seq = Long.parseLong(message, 0, first, 10);
      long sent = Long.parseLong(message, first + 1, second, 10);
      if (seq >= warmup) {
        lags.record(now - sent);
      }
      if (received.incrementAndGet() == total) {
        done.countDown();
      }
    }

    void close() {
      connection.close();
      client.shutdown();
      resources.shutdown();
    }
  }
}
