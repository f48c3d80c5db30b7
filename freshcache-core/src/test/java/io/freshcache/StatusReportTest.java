package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.freshcache.event.StatusMessages;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.stats.InstanceStatus;
import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A group's periodic status on the bus: what it says, when, and that receivers skip it. */
class StatusReportTest {

  private final InProcessBus bus = new InProcessBus();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final InvalidationBus.Subscription listening =
      bus.subscribe(
          new InvalidationBus.Receiver() {
            @Override
            public void onMessage(String message) {
              heard.add(message);
            }
          });

  private List<InstanceStatus> statuses() {
    return heard.stream().filter(StatusMessages::isStatus).map(StatusMessages::decode).toList();
  }

  @Test
  void anInstanceSaysWhoItIsAndHowItsCachesDo() {
    try (CacheGroup group =
        CacheGroup.builder("shop")
            .bus(bus)
            .instanceId("web-1")
            .statusInterval(Duration.ofHours(1))
            .build()) {
      FreshCache<String, String> products =
          group.cache("products", String.class, String.class).source(k -> "v:" + k).build();
      products.get("a"); // miss
      products.get("a"); // hit
      products.get("a"); // hit
      group.invalidateKeys("a");

      await().atMost(Duration.ofSeconds(10)).until(() -> !statuses().isEmpty());
      InstanceStatus first =
          statuses().get(0); // sent at build: the fleet sees a new instance at once
      assertThat(first.instanceId()).isEqualTo("web-1");
      assertThat(first.namespace()).isEqualTo("shop");
      assertThat(first.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(first.interval()).isEqualTo(Duration.ofHours(1));
      assertThat(first.closing()).isFalse();

      InstanceStatus now = StatusMessages.decode(StatusMessages.encode(group.status()));
      assertThat(now.caches()).isEqualTo(1);
      assertThat(now.hits()).isEqualTo(2);
      assertThat(now.misses()).isEqualTo(1);
      assertThat(now.hitRatio()).isEqualTo(2.0 / 3);
      assertThat(now.live()).isTrue();
      assertThat(now.outboxDepth()).isZero();
      assertThat(now.startedAt()).isEqualTo(first.startedAt());
    }
  }

  @Test
  void closingSendsALastStatusMarkedClosing() {
    CacheGroup group =
        CacheGroup.builder("shop")
            .bus(bus)
            .instanceId("web-2")
            .statusInterval(Duration.ofHours(1))
            .build();
    await().atMost(Duration.ofSeconds(10)).until(() -> !statuses().isEmpty());
    group.close();

    List<InstanceStatus> said = statuses();
    assertThat(said.get(said.size() - 1).closing()).isTrue();
    assertThat(said).filteredOn(InstanceStatus::closing).hasSize(1);
  }

  @Test
  void theVerifiersFindingsAreSummedOverTheCaches() {
    FakeTicker ticker = new FakeTicker();
    try (CacheGroup group =
        CacheGroup.builder("shop")
            .bus(bus)
            .ticker(ticker)
            .statusInterval(Duration.ofHours(1))
            .build()) {
      String[] truth = {"old"};
      FreshCache<String, String> a = verified(group, "a", truth, ticker);
      FreshCache<String, String> b = verified(group, "b", truth, ticker);
      a.get("k");
      b.get("k");
      truth[0] = "new"; // behind the caches' backs: every sampled hit is stale now
      a.get("k");
      b.get("k");
      b.get("k");
      ticker.advance(Duration.ofSeconds(2)); // past the grace period

      InstanceStatus status = group.status();
      assertThat(status.caches()).isEqualTo(2);
      assertThat(status.verified()).isEqualTo(3);
      assertThat(status.verifiedStale()).isEqualTo(3);
      assertThat(status.verification().staleRate()).isEqualTo(1.0);
    }
  }

  private static FreshCache<String, String> verified(
      CacheGroup group, String name, String[] truth, FakeTicker ticker) {
    return group
        .cache(name, String.class, String.class)
        .ticker(ticker)
        .executor(Runnable::run)
        .source(k -> truth[0])
        .verify(1.0, 1_000)
        .build();
  }

  @Test
  void anotherInstanceSkipsAStatusUnread() {
    try (CacheGroup sender =
            CacheGroup.builder("shop")
                .bus(bus)
                .instanceId("a")
                .statusInterval(Duration.ofHours(1))
                .build();
        CacheGroup receiver =
            CacheGroup.builder("shop")
                .bus(bus)
                .instanceId("b")
                .statusInterval(Duration.ZERO)
                .build()) {
      FreshCache<String, String> c =
          receiver.cache("c", String.class, String.class).source(k -> "v:" + k).build();
      c.get("k");
      bus.publish(StatusMessages.TYPE, StatusMessages.encode(sender.status()));

      assertThat(receiver.stats().received()).isZero();
      assertThat(receiver.stats().malformed()).isZero();
      assertThat(c.getIfPresent("k")).isEqualTo("v:k");
    }
  }

  @Test
  void aZeroIntervalSendsNoStatusAtAll() {
    CacheGroup group = CacheGroup.builder("shop").bus(bus).statusInterval(Duration.ZERO).build();
    group.invalidateKeys("x");
    group.close();

    assertThat(heard).hasSize(1).noneMatch(StatusMessages::isStatus);
  }

  @Test
  void badIntervalsAreRefusedNamingTheFix() {
    assertThatThrownBy(() -> CacheGroup.builder("shop").statusInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("statusInterval");
    assertThatThrownBy(() -> CacheGroup.builder("shop").statusInterval(Duration.ofMillis(5)))
        .hasMessageContaining("at least 10ms (or Duration.ZERO for none)");
    assertThatThrownBy(
            () ->
                CacheGroup.builder("shop")
                    .statusInterval(Duration.ofSeconds(1))
                    .statusInterval(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already set");
  }
}
