package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.stats.PropagationLag;
import io.freshcache.testing.CountingSource;
import io.freshcache.testing.SignalingBus;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How a group reacts when its bus reports a loss or cannot vouch for delivery. */
class BusSignalsTest {

  private final SignalingBus bus = new SignalingBus();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v:" + k);
  private final CacheGroup group = CacheGroup.builder("signals").bus(bus).instanceId("me").build();
  private final FreshCache<String, String> cache =
      group.cache("c", String.class, String.class).source(source).build();

  @Test
  void whileTheBusCannotVouchNoLocalHitIsServed() {
    cache.get("k");
    bus.reportLiveness(false);

    assertThat(cache.getIfPresent("k")).isNull();
    cache.get("k");
    cache.get("k");
    assertThat(source.loads()).isEqualTo(3); // every read went to the source
    assertThat(group.stats().live()).isFalse();
    assertThat(group.stats().suspensions()).isEqualTo(1);

    bus.reportLiveness(true);
    cache.get("k");
    assertThat(source.loads()).isEqualTo(3);
    assertThat(group.stats().live()).isTrue();
  }

  @Test
  void trustEndsAtTheDeadlineWithoutAnyFurtherWordFromTheBus() {
    cache.get("k");
    CacheGroup peer = CacheGroup.builder("signals").bus(bus).instanceId("peer").build();
    // A deadline in the future: hits. One already past: no hits, though nobody said "not live".
    bus.receivers().forEach(r -> r.trustUntil(System.nanoTime() + 3_600_000_000_000L));
    assertThat(cache.getIfPresent("k")).isEqualTo("v:k");
    bus.receivers().forEach(r -> r.trustUntil(System.nanoTime() - 1));
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(peer.stats().live()).isFalse();
  }

  @Test
  void aReportedLossClearsEveryCacheOfTheInstance() {
    FreshCache<String, String> other = group.cache("other", String.class, String.class).build();
    cache.get("a");
    other.put("b", "x");
    bus.reportLoss("connection dropped");

    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(other.getIfPresent("b")).isNull();
    assertThat(group.stats().losses()).isEqualTo(1);
  }

  @Test
  void aLoadInFlightDuringALossIsNotStored() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    source.duringLoad(
        () -> {
          loading.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<String> racing = thread.submit(() -> cache.get("k"));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      bus.reportLoss("restart");
      release.countDown();
      racing.get(10, TimeUnit.SECONDS);
      assertThat(cache.getIfPresent("k")).isNull();
    } finally {
      thread.shutdownNow();
    }
  }

  @Test
  void lagOfEventsFromOtherInstancesIsRecorded() {
    CacheGroup peer = CacheGroup.builder("signals").bus(bus).instanceId("peer").build();
    peer.invalidateKeys("x");
    peer.invalidateTag("t");
    PropagationLag lag = group.stats().lag();
    assertThat(lag.count()).isEqualTo(2);
    assertThat(lag.p99Micros()).isLessThan(10_000_000L);
    assertThat(peer.stats().lag().count()).isZero(); // its own events are not measured
  }
}
