package io.freshcache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.test.StalenessHistory;
import io.freshcache.test.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consistency contract on RabbitMQ attacked from the writer's side: the writer's connection to
 * the broker is cut (a TCP proxy in front of it closes every connection and refuses new ones) while
 * the readers' connections stay up. Every read of every reader is judged by {@link
 * StalenessHistory}: a version replaced while the writer was cut off is bounded from the moment the
 * writer's outbox got through, every other version from the moment its write returned.
 */
class RabbitWriterFaultIT {

  private static final Duration DELTA = Duration.ofMillis(200);
  private static final String KEY = "k";
  private static final AtomicInteger COUNT = new AtomicInteger();

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final String namespace =
      "wfault-" + COUNT.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);

  /** The source of truth: the key's current version; a value is "v<version>". */
  private final AtomicLong version = new AtomicLong(1);

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    RabbitTestSupport.deleteExchange(RabbitTestSupport.PREFIX + namespace);
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  /** One instance: a group on a bus of its own at {@code uri}, with one cache of users. */
  private final class Instance {
    final RabbitBus bus;
    final CacheGroup group;
    final FreshCache<String, String> users;

    Instance(String uri, String name) {
      bus = open(RabbitTestSupport.instanceBus(uri, namespace, name).stalenessBound(DELTA).build());
      group = open(CacheGroup.builder(namespace).bus(bus).instanceId(name).build());
      users =
          group
              .cache("users", String.class, String.class)
              .keyPrefix("user:")
              .source(key -> "v" + version.get())
              .build();
    }
  }

  /** The writer moves the key to its next version: the source, then the cache (a put). */
  private void write(Instance writer, StalenessHistory history) {
    long next = version.incrementAndGet();
    writer.users.put(KEY, "v" + next);
    history.superseded(next - 1, System.nanoTime());
    assertThat(writer.users.get(KEY)).as("the writer reads its own write").isEqualTo("v" + next);
  }

  @Test
  void aWriterCutOffFromTheBrokerLosesNothingAndTheFleetCatchesUpWithinDeltaOfItsReconnection()
      throws Exception {
    TcpProxy proxy = open(new TcpProxy(0, RabbitTestSupport.port()));
    Instance writer = new Instance(RabbitTestSupport.uriAt(proxy.port()), "writer");
    List<Instance> readers =
        List.of(
            new Instance(RabbitTestSupport.URI, "reader-1"),
            new Instance(RabbitTestSupport.URI, "reader-2"));
    StalenessHistory history = new StalenessHistory(DELTA.toNanos());
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> reading = new ArrayList<>();
    for (Instance reader : readers) {
      assertThat(reader.users.get(KEY)).isEqualTo("v1");
      // parks 200 µs between reads: leaves the two cores to the broker too
      reading.add(history.reader(() -> reader.users.get(KEY), stop, 200_000));
    }

    for (int i = 0; i < 10; i++) {
      write(writer, history);
      TimeUnit.MILLISECONDS.sleep(50); // paces the writer; no timing is asserted on it
    }
    proxy.refuse(true); // the writer's connection is cut, and it cannot open another
    List<Long> madeWhileCut = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      madeWhileCut.add(version.get());
      write(writer, history); // returns, and does not throw: the invalidation waits in the outbox
      TimeUnit.MILLISECONDS.sleep(50);
    }
    assertThat(writer.bus.isAttached()).as("the writer's bus saw the cut").isFalse();
    assertThat(writer.group.stats().outboxDepth()).as("kept in the writer's outbox").isPositive();
    proxy.refuse(false);
    history.boundFromDrain(writer.group, madeWhileCut, Duration.ofSeconds(30));
    // Nothing written after the heal: what the readers end with is what the outbox brought them.
    TimeUnit.MILLISECONDS.sleep(DELTA.toMillis() * 5); // the readers read on past the last bound
    stop.set(true);
    for (Thread thread : reading) {
      thread.join();
    }

    System.out.printf(
        "writer cut off: %d reads, worst staleness %.1f ms, worst past the bound %.1f ms"
            + " (δ = %d ms), outbox delivered %d, writer publish failures %d%n",
        history.reads(),
        history.worstStalenessMillis(),
        history.worstPastBoundMillis(),
        DELTA.toMillis(),
        writer.group.stats().outboxDelivered(),
        writer.bus.publishFailures());
    assertThat(history.worstPastBoundMillis())
        .as("reads stale beyond δ after the writer's outbox got through")
        .isNegative();
    assertThat(writer.group.stats().outboxOverflows()).isZero();
    for (Instance reader : readers) {
      assertThat(reader.users.get(KEY)).isEqualTo("v" + version.get());
      assertThat(reader.group.stats().losses()).as("the readers' own queues lost nothing").isZero();
    }
    assertThat(writer.bus.isAttached()).as("the writer attached again").isTrue();
  }
}
